"""The sample policy's records (V1–V5): score corrections, quotas, triage rules and blocks.

The rules that read them live in samples.policy; the writes in samples.services.policy.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.forms import MAX_QUANTITY
from core.fsm import logged
from shops.models import Creator, Merchant, Product, Shop


class CreatorScore(Creator):
    """履约分: a creator seen by the reviewers through their fulfilment score (V1).

    A proxy: the score is computed (samples.policy.score), never stored; corrections are
    ScoreAdjustment rows."""

    class Meta:
        proxy = True
        verbose_name = _("creator fulfilment score")
        verbose_name_plural = _("creator fulfilment scores")


class ScoreAdjustment(models.Model):
    """A reviewer's correction of a creator's fulfilment score (V1), with the reason.

    `delta` enters the score like an outcome does, for the same rolling window from
    `created_at`; `score_before` and `score_after` record what the reviewer saw and set."""

    creator = models.ForeignKey(Creator, on_delete=models.PROTECT, related_name="score_adjustments", verbose_name=_("creator"))
    delta = models.SmallIntegerField(_("points added (negative: taken off)"))
    score_before = models.SmallIntegerField(_("score before"))
    score_after = models.SmallIntegerField(_("score after"))
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("score correction")
        verbose_name_plural = _("score corrections")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["creator", "created_at"], name="sample_adjust_creator")]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="sample_adjust_has_reason")]

    def __str__(self) -> str:
        return f"{self.creator}: {self.score_before} → {self.score_after}"


class SampleQuota(models.Model):
    """样品名额: how many samples of a product the merchant gives, in total or per day or week (V2).

    Each approval uses one (approved_at falls in the period); a product without a row has
    no quota. Kept in samples, keyed by product, so shops' models stay untouched."""

    class Period(models.TextChoices):
        TOTAL = "total", _("In total")
        DAY = "day", _("Per day")
        WEEK = "week", _("Per week")

    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="sample_quota", verbose_name=_("product"))
    limit = models.PositiveIntegerField(_("samples"))
    period = models.CharField(_("period"), max_length=8, choices=Period.choices, default=Period.TOTAL)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("updated by"))

    class Meta:
        verbose_name = _("sample quota")
        verbose_name_plural = _("sample quotas")
        # A person types the limit: a sane maximum, held by the database too.
        constraints = [models.CheckConstraint(condition=Q(limit__lte=MAX_QUANTITY), name="sample_quota_limit_sane")]

    def __str__(self) -> str:
        return f"{self.product}: {self.limit} ({self.get_period_display()})"


class TriageRule(models.Model):
    """审核规则: a merchant's rule deciding sample requests automatically (V4).

    Scope: one product, or every product of one shop. An approve rule matches when every
    threshold it sets is met (value ≥ threshold); a reject rule matches when any threshold
    it sets is missed (value < threshold). The first matching rule decides; see
    samples.policy.triage for the order."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approve automatically")
        REJECT = "reject", _("Decline automatically")

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="triage_rules", verbose_name=_("merchant"))
    shop = models.ForeignKey(Shop, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("shop"))
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("product"))
    name = models.CharField(_("rule name"), max_length=60)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    min_followers = models.PositiveIntegerField(_("followers"), null=True, blank=True)
    min_score = models.PositiveSmallIntegerField(_("fulfilment score"), null=True, blank=True)
    min_past_sales = models.PositiveIntegerField(_("past sales (fulfilled samples)"), null=True, blank=True)
    is_active = models.BooleanField(_("on"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("triage rule")
        verbose_name_plural = _("triage rules")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(shop__isnull=False) & Q(product__isnull=True)) | (Q(shop__isnull=True) & Q(product__isnull=False)),
                name="triage_rule_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(min_followers__isnull=False) | Q(min_score__isnull=False) | Q(min_past_sales__isnull=False),
                name="triage_rule_has_threshold",
            ),
        ]
        indexes = [models.Index(fields=["merchant", "is_active"], name="triage_rule_merchant")]

    def __str__(self) -> str:
        return self.name


class CreatorBlock(models.Model):
    """拉黑: a merchant blocks a creator from their samples until they lift it (V5).

    Blocked → lifted is a django-fsm transition, so who lifted it, when and why is in the
    history like every other state change; who blocked, when and why is on the row."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Blocked")
        LIFTED = "lifted", _("Lifted")

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="creator_blocks", verbose_name=_("merchant"))
    creator = models.ForeignKey(Creator, on_delete=models.PROTECT, related_name="merchant_blocks", verbose_name=_("creator"))
    status = FSMField(_("status"), default=Status.ACTIVE, choices=Status.choices, protected=True)
    reason = models.CharField(_("reason"), max_length=300)
    blocked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("blocked by"))
    blocked_at = models.DateTimeField(_("blocked at"), default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("lifted by")
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lift_reason = models.CharField(_("reason for lifting"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("blocked creator")
        verbose_name_plural = _("blocked creators")
        ordering = ["-blocked_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "creator"], condition=Q(status="active"), name="one_active_creator_block"),
            models.CheckConstraint(condition=~Q(reason=""), name="creator_block_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.merchant} ⊘ {self.creator}"

    @logged
    @transition(field=status, source=Status.ACTIVE, target=Status.LIFTED)
    def lift(self, **kwargs) -> None:
        pass
