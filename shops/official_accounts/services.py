"""Writes for official accounts: shop-type changes and closing a shop (C5), pure-creator mode
(C5), switching the carry limits on account by account (C6).

Keyword-only, atomic, the only callers of these transitions. Notifications are stored in
the platform language and leave after commit (core.notifications.notify).
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.fsm import apply_transition
from core.notifications import notify, platform_text
from core.rules import rules
from shops import teams
from shops.models import NON_PROFESSIONAL_SHOP_TYPES, Creator, OfficialAccountChange, Shop, ShopTypeChange

# ---------------------------------------------------------------------------------------
# C5: changing a shop's type, closing a shop, pure-creator mode


@transaction.atomic
def shop_change_type(*, shop: Shop, new_type: str, by, note: str = "") -> ShopTypeChange:
    """C5: a professional shop becomes individual or enterprise, so its official account gets C2
    for sessions that go live after the change. Recorded as a ShopTypeChange."""
    shop = Shop.objects.select_for_update().select_related("merchant").get(pk=shop.pk)
    teams.check_acts_for(by, shop.merchant, teams.SHOPS)  # T1: the owner's
    if shop.status != Shop.Status.OPEN:
        raise ValidationError(_("This shop is closed: its type cannot change."))
    if not shop.is_professional:
        raise ValidationError(_("Only a professional shop can change to an individual or enterprise shop here."))
    if new_type not in NON_PROFESSIONAL_SHOP_TYPES:
        raise ValidationError(_("Choose individual shop or enterprise shop."))
    change = ShopTypeChange.objects.create(shop=shop, old_type=shop.shop_type, new_type=new_type, changed_by=by, note=note)
    # shop_type is a plain field: the change record above is its audit trail.
    Shop.objects.filter(pk=shop.pk).update(shop_type=new_type)
    shop.shop_type = new_type
    account = Creator.objects.filter(bound_shop=shop).select_related("user").first()
    if account is not None:
        notify(
            kind="product", user=account.user,
            title=platform_text(lambda: _("Your shop's type changed")),
            body=platform_text(
                lambda: _("%(shop)s is now a %(type)s. From your next live session on, you may carry up to %(cap)s "
                          "non-own products per session; showcases and short videos still carry only your shop's products.")
                % {"shop": shop.name, "type": shop.get_shop_type_display(), "cap": _cap()}
            ),
            url=reverse("creator:account_mode"),
        )
    return change


def _cap() -> int:
    return rules.count("official_non_own_per_session")


@transaction.atomic
def shop_close(*, shop: Shop, by, reason: str = "") -> Shop:
    """Close a shop. C5: its official account is unbound and no longer limited."""
    shop = Shop.objects.select_for_update().select_related("merchant").get(pk=shop.pk)
    teams.check_acts_for(by, shop.merchant, teams.SHOPS)  # T1: the owner's
    apply_transition(shop, "close", by=by, description=reason)
    for account in Creator.objects.select_for_update().filter(bound_shop=shop).select_related("user"):
        Creator.objects.filter(pk=account.pk).update(bound_shop=None)
        OfficialAccountChange.objects.create(
            creator=account, kind=OfficialAccountChange.Kind.UNBOUND, shop=shop, changed_by=by, note=reason[:200]
        )
        notify(
            kind="product", user=account.user,
            title=platform_text(lambda: _("Your account is no longer an official account")),
            body=platform_text(
                lambda: _("%(shop)s has closed, so your account was unbound from it. The official-account carry limits "
                          "no longer apply to you.") % {"shop": shop.name}
            ),
            url=reverse("creator:account_mode"),
        )
    return shop


@transaction.atomic
def creator_choose_pure_creator_mode(*, creator: Creator, by) -> Creator:
    """C5: the creator chooses pure-creator mode (纯达人带货); the account is no longer official."""
    creator = Creator.objects.select_for_update().get(pk=creator.pk)
    if creator.bound_shop_id is None:
        raise ValidationError(_("Your account is not bound to a shop: it is not limited."))
    if creator.pure_creator_mode:
        return creator
    Creator.objects.filter(pk=creator.pk).update(pure_creator_mode=True)
    creator.pure_creator_mode = True
    OfficialAccountChange.objects.create(
        creator=creator, kind=OfficialAccountChange.Kind.PURE_CREATOR, shop_id=creator.bound_shop_id, changed_by=by
    )
    return creator


# ---------------------------------------------------------------------------------------
# C6: switching the limits on account by account


def _require_reviewer(by) -> None:
    if by is None or not by.has_perm("shops.change_creator"):
        raise PermissionDenied(_("Only platform reviewers may switch carry limits."))


@transaction.atomic
def creator_set_carry_limits(*, creator: Creator, on: bool, by, note: str = "") -> bool:
    """C6: switch the limits on (or off) for one account. Returns whether anything changed."""
    _require_reviewer(by)
    creator = Creator.objects.select_for_update().get(pk=creator.pk)
    if creator.carry_limits_on == on:
        return False
    Creator.objects.filter(pk=creator.pk).update(carry_limits_on=on)
    OfficialAccountChange.objects.create(
        creator=creator, kind=OfficialAccountChange.Kind.LIMITS_ON if on else OfficialAccountChange.Kind.LIMITS_OFF,
        shop_id=creator.bound_shop_id, changed_by=by, note=note[:200],
    )
    return True


def carry_limits_roll_out(*, creators, percentage: int, by, rng: random.Random | None = None) -> list[int]:
    """C6: switch the limits on for a random share of the given official accounts not yet covered.

    `percentage` of them (rounded half up) are picked at random; returns the ids switched on.
    """
    _require_reviewer(by)
    if not 0 < percentage <= 100:
        raise ValidationError(_("Enter a percentage between 1 and 100."))
    candidates = [
        c.pk for c in Creator.objects.filter(pk__in=[c.pk for c in creators], carry_limits_on=False).select_related("bound_shop")
        if c.is_official_account
    ]
    k = int((Decimal(len(candidates)) * percentage / 100).to_integral_value(rounding=ROUND_HALF_UP))
    picked = (rng or random.SystemRandom()).sample(sorted(candidates), k)
    with transaction.atomic():
        for pk in picked:
            creator_set_carry_limits(
                creator=Creator(pk=pk), on=True, by=by, note=_("random roll-out: %(p)s%%") % {"p": percentage}
            )
    return picked
