"""Official accounts (RULES.md C): the records of shop-type changes (C5) and of who switched an
account's carry limits, unbound it or chose pure-creator mode (C5, C6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shops.models.catalogue import Shop, ShopType
from shops.models.creators import Creator


class ShopTypeChange(models.Model):
    """店铺类型变更: a recorded change of a shop's type (C5).

    The row also tells which type was in force when a session went live: C5 gives C2 only
    to sessions that go live after the change.
    """

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="type_changes", verbose_name=_("shop"))
    old_type = models.CharField(_("old type"), max_length=32, choices=ShopType.choices)
    new_type = models.CharField(_("new type"), max_length=32, choices=ShopType.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("shop type change")
        verbose_name_plural = _("shop type changes")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["shop", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.shop}: {self.get_old_type_display()} → {self.get_new_type_display()}"


class OfficialAccountChange(models.Model):
    """官方账号变更: who switched an account's carry limits, unbound it or chose pure-creator mode (C5, C6)."""

    class Kind(models.TextChoices):
        LIMITS_ON = "limits_on", _("Carry limits switched on")
        LIMITS_OFF = "limits_off", _("Carry limits switched off")
        UNBOUND = "unbound", _("Unbound from its shop (shop closed)")
        PURE_CREATOR = "pure_creator", _("Chose pure-creator mode")

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="official_changes", verbose_name=_("creator"))
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    shop = models.ForeignKey(Shop, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("shop"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("official account change")
        verbose_name_plural = _("official account changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.creator}: {self.get_kind_display()}"
