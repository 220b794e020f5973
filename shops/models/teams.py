"""Merchant teams (RULES.md T): the owner (主账号, `Merchant.user`) and its members (子账号),
each with one role and optionally limited to some of the merchant's shops, and the record
of every change to the team (who added, changed, removed whom; ownership transfers).

What each role may do is stated once, in `shops.teams.ROLE_CAN`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.fsm import logged
from shops.models.catalogue import Merchant, Shop


class Role(models.TextChoices):
    OPS = "ops", pgettext_lazy("team role", "Operations")
    SAMPLES = "samples", pgettext_lazy("team role", "Samples")
    SHIPPING = "shipping", pgettext_lazy("team role", "Shipping")
    READONLY = "readonly", pgettext_lazy("team role", "Read-only")


def _is_owner(member, user) -> bool:
    """Only the merchant's owner manages its team (T1)."""
    return user is not None and member.merchant.user_id == user.pk


class Member(ConcurrentTransitionMixin, models.Model):
    """子账号: a person working in a merchant's workspace with one role (T1). A login is a
    member of one merchant; a removed member's row stays, so histories keep its name (T2)."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        REMOVED = "removed", _("Removed")

    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="members", verbose_name=_("merchant"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="membership", verbose_name=_("login"))
    name = models.CharField(_("name"), max_length=40)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    shops = models.ManyToManyField(Shop, blank=True, related_name="+", verbose_name=_("shops"),
                                   help_text=_("Leave empty for all the merchant's shops."))
    state = FSMField(_("state"), default=State.ACTIVE, choices=State.choices, protected=True)
    # Bumped by every change of role, shops or state: a session started under another
    # generation ends at its next request (T3).
    generation = models.PositiveIntegerField(_("generation"), default=1)
    added_at = models.DateTimeField(_("added at"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by"))

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["merchant", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "name"], condition=Q(state="active"), name="member_name_unique_live"),
        ]

    def __str__(self) -> str:
        return self.name

    @logged
    @transition(field=state, source=State.ACTIVE, target=State.REMOVED, permission=_is_owner)
    def remove(self, by=None, description=None):
        """T3: removed; its sessions end and its API keys stop."""

    @logged
    @transition(field=state, source=State.REMOVED, target=State.ACTIVE, permission=_is_owner)
    def restore(self, by=None, description=None):
        """Added again by the same merchant."""


class TeamEvent(models.Model):
    """What happened to a team, who did it and when: the page the owner reads and the record
    the platform's reviewers see, ownership transfers included (T4)."""

    class Kind(models.TextChoices):
        ADDED = "added", _("Member added")
        CHANGED = "changed", _("Role or shops changed")
        REMOVED = "removed", _("Member removed")
        TRANSFERRED = "transferred", _("Ownership transferred")

    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="team_events", verbose_name=_("merchant"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="events", verbose_name=_("member"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("previous owner"))
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("new owner"))
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("team change")
        verbose_name_plural = _("team changes")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["merchant", "-at"], name="team_event_merchant_at")]

    def __str__(self) -> str:
        return f"{self.merchant} · {self.get_kind_display()}"
