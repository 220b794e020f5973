"""A merchant's team (RULES.md T): the owner adds members (an existing login, or a new one
invited by a link), changes their role or shops, removes them, and hands ownership to a
member. Each write checks the seat (only the owner, T1), bumps the member's generation so
its sessions end at their next request (T3), and is recorded as a TeamEvent (T2, T4)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.fsm import apply_transition
from shops.models import Member, Merchant, Role, Shop, TeamEvent
from shops.teams import TEAM, check_can


def _msg_login_taken() -> str:
    return _("This login already works for a merchant, a creator or the platform: choose another login name.")


def _msg_other_team() -> str:
    return _("This login belongs to another merchant's team.")


def _msg_name_taken() -> str:
    return _("A member of your team already has this name.")


def _msg_not_member() -> str:
    return _("Ownership passes only to an active member of your team.")


@dataclass(frozen=True)
class Added:
    member: Member
    invite_path: str  # a set-password link for a new login; "" for an existing one


def _shops_of(merchant: Merchant, shop_ids) -> list[Shop]:
    shops = list(Shop.objects.filter(merchant=merchant, pk__in=list(shop_ids or [])))
    if len(shops) != len(set(shop_ids or [])):
        raise ValidationError({"shops": [_("Choose among your own shops.")]})
    return shops


def _shops_text(shops: list[Shop]) -> str:
    return "、".join(s.name for s in shops) if shops else _("all shops")


def invite_path(user) -> str:
    """The link a new member opens once to choose its password (Django's reset token: it
    stops working once the password is set)."""
    return reverse("team_invite", args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)])


@transaction.atomic
def member_add(*, merchant: Merchant, by, login: str, name: str, role: str, shop_ids=(), email: str = "") -> Added:
    """T1: a member with one role, optionally limited to some shops. An unknown login is
    created without a password and invited by link; a known one must hold no other seat."""
    check_can(by, merchant, TEAM)
    merchant = Merchant.objects.select_for_update().get(pk=merchant.pk)
    login, name = login.strip(), name.strip()
    Role(role)  # a role outside the four is a form's error, never reaches here
    shops = _shops_of(merchant, shop_ids)
    User = get_user_model()
    user = User.objects.filter(username=login).first()
    link = ""
    member = None
    if user is None:
        user = User(username=login, email=email.strip())
        user.set_unusable_password()
        user.save()
        link = invite_path(user)
    else:
        if user.is_staff or hasattr(user, "creator") or Merchant.objects.filter(user=user).exists():
            raise ValidationError({"login": [_msg_login_taken()]})
        member = Member.objects.select_for_update().filter(user=user).first()
        if member is not None and (member.merchant_id != merchant.pk or member.state == Member.State.ACTIVE):
            raise ValidationError({"login": [_msg_other_team() if member.merchant_id != merchant.pk else _msg_name_taken()]})
    now = timezone.now()
    try:
        with transaction.atomic():
            if member is None:
                member = Member.objects.create(merchant=merchant, user=user, name=name, role=role, added_at=now, added_by=by)
            else:  # a removed member of this merchant, added again
                member.name, member.role, member.added_at, member.added_by = name, role, now, by
                member.generation += 1  # the row is locked above
                member.save(update_fields=["name", "role", "added_at", "added_by", "generation"])
                apply_transition(member, "restore", by=by, description=_("Added to the team again."))
    except IntegrityError as exc:
        raise ValidationError({"name": [_msg_name_taken()]}) from exc
    member.shops.set(shops)
    TeamEvent.objects.create(merchant=merchant, kind=TeamEvent.Kind.ADDED, member=member, by=by, at=now,
                             detail=f"{Role(role).label} · {_shops_text(shops)}")
    return Added(member, link)


@transaction.atomic
def member_change(*, member: Member, by, role: str, shop_ids=()) -> Member:
    """T3: a new role or other shops; the member's open sessions end at their next request."""
    check_can(by, member.merchant, TEAM)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.state != Member.State.ACTIVE:
        raise ValidationError(_("This member was removed from the team."))
    Role(role)
    shops = _shops_of(member.merchant, shop_ids)
    before = (member.role, sorted(member.shops.values_list("pk", flat=True)))
    if before == (role, sorted(s.pk for s in shops)):
        return member
    member.role = role
    member.generation += 1  # the row is locked above
    member.save(update_fields=["role", "generation"])
    member.shops.set(shops)
    TeamEvent.objects.create(merchant=member.merchant, kind=TeamEvent.Kind.CHANGED, member=member, by=by, at=timezone.now(),
                             detail=f"{Role(role).label} · {_shops_text(shops)}")
    return member


@transaction.atomic
def member_remove(*, member: Member, by) -> Member:
    """T3: removed at once: its sessions end at their next request, its API keys stop."""
    check_can(by, member.merchant, TEAM)
    member = Member.objects.select_for_update().select_related("merchant").get(pk=member.pk)
    member.generation += 1  # the row is locked above
    member.save(update_fields=["generation"])
    apply_transition(member, "remove", by=by, description=_("Removed from the team."))
    TeamEvent.objects.create(merchant=member.merchant, kind=TeamEvent.Kind.REMOVED, member=member, by=by, at=timezone.now(),
                             detail=member.name)
    return member


@transaction.atomic
def ownership_transfer(*, merchant: Merchant, by, to: Member, former_owner_name: str, former_owner_role: str = Role.OPS) -> Merchant:
    """T4: the owner hands the merchant to an active member, and stays as a member with
    `former_owner_role`. Recorded for the platform's reviewers; both sessions re-read
    their seat at their next request."""
    check_can(by, merchant, TEAM)
    merchant = Merchant.objects.select_for_update().get(pk=merchant.pk)
    to = Member.objects.select_for_update().get(pk=to.pk)
    if to.merchant_id != merchant.pk or to.state != Member.State.ACTIVE:
        raise ValidationError({"to": [_msg_not_member()]})
    Role(former_owner_role)
    old_owner, new_owner, now = merchant.user, to.user, timezone.now()
    to.generation += 1  # the row is locked above
    to.save(update_fields=["generation"])
    apply_transition(to, "remove", by=by, description=_("Became the owner (主账号)."))
    merchant.user = new_owner
    merchant.save(update_fields=["user"])
    former = Member.objects.select_for_update().filter(user=old_owner).first()
    name = former_owner_name.strip() or old_owner.get_username()
    if former is None:
        former = Member.objects.create(merchant=merchant, user=old_owner, name=name, role=former_owner_role, added_at=now, added_by=by)
    else:
        former.name, former.role, former.merchant = name, former_owner_role, merchant
        former.generation += 1  # the row is locked above
        former.save(update_fields=["name", "role", "merchant", "generation"])
        apply_transition(former, "restore", by=new_owner, description=_("Was the owner (主账号)."))
    former.shops.clear()
    TeamEvent.objects.create(merchant=merchant, kind=TeamEvent.Kind.TRANSFERRED, member=to, by=by, at=now,
                             from_user=old_owner, to_user=new_owner, detail=f"{name} → {to.name}")
    return merchant
