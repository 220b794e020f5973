"""S2: why a product's free samples cannot be switched on, asked where the merchant switches.

Shops owns the switch (AllianceListing.sample_support) but not the sample rules: the samples
domain registers its check in its AppConfig.ready(). Without a registered check nothing is
refused (shops stands alone in its tests)."""

from __future__ import annotations

from collections.abc import Callable

from core.registry import registry
from shops.models import Product

SampleCheck = Callable[[Product], "str | None"]

_checks = registry("shops.sample_checks")


def register_sample_check(check: SampleCheck) -> SampleCheck:
    """A check returns the reason `product` can never offer free samples now, or None."""
    return _checks.add(check)


def sample_switch_refusal(product: Product) -> str | None:
    for check in _checks:
        reason = check(product)
        if reason:
            return str(reason)
    return None
