"""Merchant teams (RULES.md T): what each role may do, stated once.

The owner (主账号) may do everything; a member (子账号) what its role allows (T1), in the
shops it is limited to. Web views say what they need with `merchant_required(can=…)`, the
API's viewsets with `can_read` / `can_write` / `action_can`, and the services that write
check the same seat with `check_can` — so a page, an API call and a service refuse alike.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core.actors import register_person_label
from core.roles import Seat, refusal, register_seat_resolver, seat_of
from shops.models import Member, Merchant, Role

# What a seat may do. Reading pages is split in two: the shipping role sees the sample
# pages it ships from and nothing else.
VIEW = "view"  # every page of the workspace, read-only
VIEW_SAMPLES = "view_samples"  # the sample inbox and a request's page
CATALOGUE = "catalogue"  # products, the alliance (listing, sample support, removals), flash-sale and live settings
FILINGS = "filings"  # declare, submit, withdraw and appeal filings
SAMPLES = "samples"  # sample decisions, extensions, triage rules, quotas, the blocklist
SHIP = "ship"  # ship and re-ship approved samples, one by one or from a spreadsheet
SHOPS = "shops"  # shop type changes and closing a shop
TEAM = "team"  # members, ownership, API keys and webhooks

OWNER = "owner"
ALL = frozenset({VIEW, VIEW_SAMPLES, CATALOGUE, FILINGS, SAMPLES, SHIP, SHOPS, TEAM})
ROLE_CAN: dict[str, frozenset[str]] = {
    OWNER: ALL,
    Role.OPS: frozenset({VIEW, VIEW_SAMPLES, CATALOGUE, FILINGS}),
    Role.SAMPLES: frozenset({VIEW, VIEW_SAMPLES, SAMPLES}),
    Role.SHIPPING: frozenset({VIEW_SAMPLES, SHIP}),
    Role.READONLY: frozenset({VIEW, VIEW_SAMPLES}),
}

# What a member is told when its role does not allow something (a 403 page, an API problem).
REFUSALS = {
    VIEW: lambda seat: _("Your role (%(role)s) does not include this page.") % {"role": seat.role_label},
    VIEW_SAMPLES: lambda seat: _("Your role (%(role)s) does not include the sample pages.") % {"role": seat.role_label},
    CATALOGUE: lambda seat: _("Only the owner and operations (运营) members manage products and the alliance."),
    FILINGS: lambda seat: _("Only the owner and operations (运营) members manage filings."),
    SAMPLES: lambda seat: _("Only the owner and samples (样品) members decide samples and keep their settings."),
    SHIP: lambda seat: _("Only the owner and shipping (发货) members ship samples."),
    SHOPS: lambda seat: _("Only the merchant's owner (主账号) changes or closes shops."),
    TEAM: lambda seat: _("Only the merchant's owner (主账号) manages the team, API keys and webhooks."),
}


def owner_label() -> str:
    return _("Owner")


def _resolve(user) -> Seat | None:
    """The user's seat: the owner of its merchant, or an active member of one. One query for
    anyone (a creator's pages pay no more than before teams), two or three for a member."""
    merchant = (Merchant.objects.filter(Q(user=user) | Q(members__user=user, members__state=Member.State.ACTIVE))
                .distinct().first())
    if merchant is None:
        return None
    if merchant.user_id == user.pk:
        Merchant.user.field.remote_field.set_cached_value(user, merchant)  # later `user.merchant` reads cost nothing
        return Seat(merchant=merchant, role=OWNER, role_label=owner_label(), name=user.get_full_name() or owner_label(),
                    can=ROLE_CAN[OWNER])
    member = Member.objects.get(user=user)
    shop_ids = frozenset(member.shops.values_list("pk", flat=True)) or None
    merchant.scope_shop_ids = shop_ids  # read by `in_scope`: a member limited to some shops sees those only
    return Seat(merchant=merchant, role=member.role, role_label=Role(member.role).label, name=member.name,
                can=ROLE_CAN[member.role], shop_ids=shop_ids, generation=member.generation)


def connect() -> None:
    """Called from ShopsConfig.ready()."""
    register_seat_resolver(_resolve, REFUSALS)
    register_person_label(actor_label)  # T2: the admin's histories and notifications name the member


def check_can(by, merchant: Merchant, can: str, *, shop_id: int | None = None) -> Seat:
    """A service's check: `by` holds a seat in `merchant`'s team that may `can` (and, for a
    member limited to some shops, `shop_id` is one of them). PermissionDenied says why."""
    seat = seat_of(by)
    if seat is None or seat.merchant is None or seat.merchant.pk != merchant.pk:
        raise PermissionDenied(_("Only the merchant who owns the product can do this."))
    if not seat.allows(can):
        raise PermissionDenied(refusal(can, seat))
    if shop_id is not None and seat.shop_ids is not None and shop_id not in seat.shop_ids:
        raise PermissionDenied(_("Your seat in the team is limited to other shops."))
    return seat


def sees(user, merchant_id: int, shop_id: int | None = None, *, can: str = VIEW_SAMPLES) -> bool:
    """Whether `user` holds a seat in merchant `merchant_id`'s team that may `can` and sees
    shop `shop_id`."""
    seat = seat_of(user)
    if seat is None or seat.merchant.pk != merchant_id or not seat.allows(can):
        return False
    return shop_id is None or seat.shop_ids is None or shop_id in seat.shop_ids


def check_acts_for(by, merchant: Merchant, can: str, *, shop_id: int | None = None) -> None:
    """The check of a merchant's write that the platform's reviewers may also make from the
    admin (staff) and the system may make (by=None): a person of the team needs `can`."""
    if by is None or by.is_staff:
        return
    check_can(by, merchant, can, shop_id=shop_id)


def in_scope(qs: QuerySet, merchant: Merchant, shop_path: str = "shop", *, merchant_path: str | None = None) -> QuerySet:
    """`qs` narrowed to `merchant` and, for a member limited to some shops, to those shops.
    `shop_path` leads from the model to its shop ("shop", "product__shop", …; "pk" for a shop);
    `merchant_path`, when the model names its merchant itself (a sample request's `merchant`)."""
    merchant_field, shop_field = ("merchant", "pk") if shop_path == "pk" else (merchant_path or f"{shop_path}__merchant", shop_path)
    qs = qs.filter(**{merchant_field: merchant})
    shop_ids = getattr(merchant, "scope_shop_ids", None)
    if shop_ids is not None:
        qs = qs.filter(**{f"{shop_field}__in": shop_ids})
    return qs


def actor_label(user, shop_name: str | None = None) -> str | None:
    """T2: who acted for a merchant, as histories show it: 「花漾官方旗舰店 · 小李」. None when
    `user` holds no seat in any team (a creator, a reviewer, the system)."""
    if user is None:
        return None
    name = None
    try:
        merchant = user.merchant
        name = user.get_full_name() or owner_label()
    except Merchant.DoesNotExist:
        merchant = None
    if merchant is None:
        try:
            member = user.membership
        except Member.DoesNotExist:
            return None
        merchant, name = member.merchant, member.name
    return f"{shop_name or merchant.name} · {name}"
