"""Creators (达人 / 主播): accounts that promote goods; an official account is one bound to a shop."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shops.models.catalogue import Shop


class Creator(models.Model):
    """达人 / 主播 / 电商创作者: an account that promotes goods.

    An official account (官方账号 / 人店一体账号) is one bound to a shop.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="creator", verbose_name=_("user"))
    nickname = models.CharField(_("nickname"), max_length=60)
    platform_id = models.CharField(_("platform ID"), max_length=32, unique=True)
    followers = models.PositiveIntegerField(_("followers"), default=0)
    product_sharing_enabled = models.BooleanField(_("product sharing (商品分享) on"), default=True)
    is_specific = models.BooleanField(_("specific creator (特定达人)"), default=False)
    is_risky = models.BooleanField(_("risk mark"), default=False)
    # Flash sales (FS) own these two. They stay on Creator because flash sales' services and templates,
    # this app's admin filters, the demo seed and flash sales' tests read them; moving them to a
    # flash-sale profile of the creator is not cheap now.
    flash_sale_invited = models.BooleanField(_("invited to flash sales"), default=False)
    meets_flash_sale_standard = models.BooleanField(_("meets the flash-sale standard"), default=False)
    bound_shop = models.OneToOneField(
        Shop, null=True, blank=True, on_delete=models.SET_NULL, related_name="official_account",
        verbose_name=_("bound shop (official account)"),
    )
    pure_creator_mode = models.BooleanField(_("pure-creator mode (纯达人带货)"), default=False)
    carry_limits_on = models.BooleanField(_("carry limits switched on (C6)"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("creator")
        verbose_name_plural = _("creators")
        ordering = ["nickname"]

    def __str__(self) -> str:
        return f"{self.nickname} ({self.platform_id})"

    @property
    def display_name(self) -> str:
        """F3: a linked creator is shown as "nickname + ID"."""
        return f"{self.nickname} {self.platform_id}"

    @property
    def is_official_account(self) -> bool:
        return self.bound_shop_id is not None and not self.pure_creator_mode
