"""收货地址: the creator's address book, and how an address is shown to whom.

A sample request keeps a snapshot of the address chosen when asking (samples.models.requests),
so editing or deleting an address later changes no request already made.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shops.models import Creator

# Mainland mobile numbers (11 digits from 1[3-9]) and landlines with an area code.
PHONE_VALIDATOR = RegexValidator(
    r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$",
    _("Enter a mobile number of 11 digits (such as 13812345678) or a landline with its area code (such as 010-12345678)."),
)

# Enough for home, office and a studio or two; keeps the request form's choice short.
ADDRESS_BOOK_LIMIT = 10


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the first character stays, the rest is hidden."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678: the first three and last four digits stay."""
    phone = phone.strip()
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


class ShippingAddress(models.Model):
    """收货地址: where a creator receives free samples. One address per creator is the default
    (a partial unique constraint holds it); the request form picks it first."""

    creator = models.ForeignKey(Creator, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("creator"))
    name = models.CharField(_("recipient"), max_length=30)
    phone = models.CharField(_("phone"), max_length=20, validators=[PHONE_VALIDATOR])
    province = models.CharField(_("province"), max_length=20)
    city = models.CharField(_("city"), max_length=20)
    district = models.CharField(_("district"), max_length=20)
    street = models.CharField(_("street address"), max_length=120)
    is_default = models.BooleanField(_("default address"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("shipping address")
        verbose_name_plural = _("shipping addresses")
        ordering = ["-is_default", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["creator"], condition=Q(is_default=True), name="one_default_address"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.region} {self.street}"

    @property
    def region(self) -> str:
        return f"{self.province} {self.city} {self.district}"

    def snapshot(self) -> dict[str, str]:
        """The fields a sample request copies when it is made."""
        return {
            "ship_to_name": self.name, "ship_to_phone": self.phone, "ship_to_province": self.province,
            "ship_to_city": self.city, "ship_to_district": self.district, "ship_to_street": self.street,
        }
