"""The kernel's own records: notifications every domain posts, and the platform rules
registry's live values with their change history.

These models were born in `shops` and moved here without moving their data: each keeps
its original table (`db_table`), so rows, ids and foreign keys are untouched.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """通知: the in-app message every domain posts; the same text goes out by e-mail after commit."""

    class Kind(models.TextChoices):
        # Words of the platform, not imports: each domain passes its kind to notify().
        GENERAL = "general", _("General")
        FILING = "filing", _("Filings")
        SAMPLE = "sample", _("Samples")
        FLASH_SALE = "flash_sale", _("Flash sales")
        PRODUCT = "product", _("Products and shops")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.GENERAL)
    # T2: who of a merchant's team caused it (「花漾官方旗舰店 · 小李」); blank for the system.
    actor = models.CharField(_("by"), max_length=160, blank=True, db_default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # Set for messages that must go out once even when sweeps overlap (V6 reminders).
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True, verbose_name=_("dedupe key"))

    class Meta:
        db_table = "shops_notification"  # born in shops; the table kept its name
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="shops_notif_user_id_2fe380_idx")]

    def __str__(self) -> str:
        return self.title


class RuleSetting(models.Model):
    """The platform rules object: one row per number or on/off policy of RULES.md.

    Defaults are declared by each domain (`<app>/rules.py`) and registered in
    `core.rules.RULES`; staff change the value here in the admin, every change recorded as
    a RuleChange. Clocks read it when they start, so a change applies to clocks started
    after it.
    """

    class Unit(models.TextChoices):
        SECONDS = "seconds", _("seconds")
        MINUTES = "minutes", _("minutes")
        HOURS = "hours", _("hours")
        DAYS = "days", _("days")
        COUNT = "count", _("count")
        WORKING_DAYS = "working_days", _("working days")
        FLAG = "flag", _("on/off")

    key = models.SlugField(_("key"), max_length=64, unique=True)
    value = models.PositiveIntegerField(_("value"))
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "shops_rulesetting"  # born in shops; the table kept its name
        verbose_name = _("platform rule")
        verbose_name_plural = _("platform rules")
        ordering = ["key"]
        # The registry refuses past each rule's ceiling (core.rules.validate_rule_value); the
        # database holds the widest one (core.rules.MAX_COUNT; a year in minutes is below it).
        constraints = [models.CheckConstraint(condition=models.Q(value__lte=100_000_000), name="rule_value_within_ceiling")]

    def __str__(self) -> str:
        """The rule's name and id, as staff read them (the admin's "changed" message, history)."""
        from core.rules import RULES  # the registry reads this model: imported when needed

        rule = RULES.get(self.key)
        return f"{rule.description} ({rule.rule_id})" if rule else self.key

    def get_unit_display(self) -> str:
        """The unit as people read it after the value: a count rule says what it counts
        (「8 分」 for the score floor, 「20 场」 for a flash-sale cap), not the raw 「8 个数」."""
        from core.rules import RULES  # the registry reads this model: imported when needed

        rule = RULES.get(self.key)
        if self.unit == self.Unit.COUNT:  # a rule that names nothing (its description does) gets no word
            return str(rule.counts) if rule is not None else ""
        return str(dict(self.Unit.choices).get(self.unit, self.unit))


class RuleChange(models.Model):
    """A recorded change of a platform rule: who, when, old value, new value."""

    setting = models.ForeignKey(RuleSetting, on_delete=models.CASCADE, related_name="changes", verbose_name=_("rule"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    old_value = models.PositiveIntegerField(_("old value"))
    old_unit = models.CharField(_("old unit"), max_length=16)
    new_value = models.PositiveIntegerField(_("new value"))
    new_unit = models.CharField(_("new unit"), max_length=16)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        db_table = "shops_rulechange"  # born in shops; the table kept its name
        verbose_name = _("rule change")
        verbose_name_plural = _("rule changes")
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.setting.key}: {self.old_value} {self.old_unit} → {self.new_value} {self.new_unit}"


class Submission(models.Model):
    """One sent form (hole 6): the one-time key a create form carries in a hidden field, and
    what its first sending created. A repeat of the same key — a double click, a retried
    request, two racing tabs — gets the first result instead of a second row
    (core.submissions.once)."""

    key = models.UUIDField(_("key"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("user"))
    content_type = models.ForeignKey("contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("content type"))
    object_id = models.BigIntegerField(null=True, blank=True, verbose_name=_("object id"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return str(self.key)

    def target(self):
        if self.content_type_id is None or self.object_id is None:
            return None
        return self.content_type.model_class()._default_manager.filter(pk=self.object_id).first()


class Claim(models.Model):
    """领取: a reviewer holds one item of a review queue for a while (#22), so that two
    reviewers sharing the queue do not decide the same item. It ends with the decision, when
    released, or when `expires_at` passes (core.claims)."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+", verbose_name=_("content type"))
    object_id = models.BigIntegerField(_("object id"))
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("held by"))
    claimed_at = models.DateTimeField(_("claimed at"))
    expires_at = models.DateTimeField(_("held until"))

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="one_claim_per_item")]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} → {self.holder_id}"


class ReasonTemplate(models.Model):
    """驳回原因模板: a reason staff keep for one kind of decision (#22); a reviewer picks it on
    the decision's page and may edit it before deciding."""

    kind = models.CharField(_("decision"), max_length=80, help_text=_("The decision this reason is offered for."))
    text = models.CharField(_("reason"), max_length=250)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("reason template")
        verbose_name_plural = _("reason templates (驳回原因模板)")
        ordering = ["kind", "position", "id"]

    def __str__(self) -> str:
        return self.text


class OutboxMessage(models.Model):
    """A task a transaction asked for (an e-mail, a webhook attempt): written in the same
    transaction as the change it follows, handed to Celery by the relay after commit
    (core.outbox). A request never waits on the broker; a rollback leaves no message."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    # The caller's request id, so that the task's log lines carry it (ops.logging).
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("handed to the broker at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        # The relay reads only the rows still waiting: a partial index keeps that read small
        # however many sent rows are kept.
        indexes = [models.Index(fields=["id"], condition=models.Q(sent_at__isnull=True), name="outbox_waiting")]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
