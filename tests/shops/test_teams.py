"""Merchant teams (RULES.md T1–T4), as their people use them: the owner adds members (an
existing login or an invitation), members work with their role's rights in the pages, the
services and the API, histories and notifications name who acted, a change of seat ends the
member's sessions and keys at once, and ownership passes only by a recorded transfer."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from api.permissions import HOLDER_GONE
from core.admin_base import person_name
from core.models import Notification
from samples.models import SampleRequest
from samples.services import requests as sample_requests
from samples.services import shipping
from shops import team_services, teams
from shops.models import Member, Role, TeamEvent
from tests import factories
from tests.api.conftest import Api, make_key
from tests.samples.factories import T0, approved_at, reload, request_at, travel

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request reads it (a seat is read once per user object)."""
    return User.objects.get(pk=user.pk)


def add(merchant, role, login="xiaowang", name="小王", **kwargs):
    return team_services.member_add(merchant=merchant, by=merchant.user, login=login, name=name, role=role, **kwargs).member


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------
# T1: the owner builds the team; each role does its job and nothing else


def test_t1_owner_invites_a_new_login_which_sets_its_password_and_works_as_its_role():
    merchant = factories.MerchantFactory(name="花漾")
    owner = signed_in(merchant.user)
    page = owner.get(reverse("merchant:team"))
    submission = re.search(r'name="submission" value="([^"]+)"', page.content.decode()).group(1)
    response = owner.post(reverse("merchant:team"), {"login": "xiaoli", "name": "小李", "role": Role.SHIPPING, "submission": submission})
    assert response.status_code == 200
    link = re.search(r"http://testserver(/accounts/invite/[^<\s]+/)", response.content.decode()).group(1)
    member = Member.objects.get(user__username="xiaoli")
    assert (member.role, member.name, member.merchant) == (Role.SHIPPING, "小李", merchant)
    assert TeamEvent.objects.filter(merchant=merchant, kind=TeamEvent.Kind.ADDED, member=member).exists()

    # The same submission again adds nobody twice.
    owner.post(reverse("merchant:team"), {"login": "xiaoli", "name": "小李", "role": Role.SHIPPING, "submission": submission})
    assert Member.objects.filter(merchant=merchant).count() == 1

    newcomer = Client()
    form = newcomer.get(link, follow=True)
    assert form.status_code == 200 and "设置密码" in form.content.decode()
    done = newcomer.post(form.redirect_chain[-1][0], {"new_password1": "Bao-bei-2026!", "new_password2": "Bao-bei-2026!"})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    assert newcomer.post(reverse("login"), {"username": "xiaoli", "password": "Bao-bei-2026!"}).status_code == 302
    home = newcomer.get(reverse("merchant:dashboard")).content.decode()
    assert reverse("samples:merchant_inbox") in home  # the shipping member's menu: the sample inbox
    assert reverse("merchant:products") not in home and reverse("merchant:team") not in home
    assert newcomer.get(link, follow=True).content.decode().count("已使用或已失效") == 1  # the link works once


def test_t1_a_login_that_already_holds_a_role_cannot_join_a_team():
    merchant = factories.MerchantFactory()
    creator = factories.CreatorFactory()
    with pytest.raises(ValidationError, match="该登录名已是商家、达人或平台账号"):
        add(merchant, Role.OPS, login=creator.user.username)
    other = factories.MerchantFactory()
    add(other, Role.OPS, login="shared")
    with pytest.raises(ValidationError, match="属于另一个商家的团队"):
        add(merchant, Role.OPS, login="shared", name="同名")


def test_t1_only_the_owner_manages_the_team():
    merchant = factories.MerchantFactory()
    ops = add(merchant, Role.OPS)
    with pytest.raises(PermissionDenied, match="只有商家主账号可以管理团队"):
        team_services.member_add(merchant=merchant, by=fresh(ops.user), login="x2", name="小二", role=Role.READONLY)
    assert signed_in(ops.user).get(reverse("merchant:team")).status_code == 403


def test_t1_a_shipping_member_ships_but_cannot_approve():
    sample = approved_at(T0)
    waiting = request_at(T0, product=sample.product)  # another creator asks for the same product
    shipper = add(sample.merchant, Role.SHIPPING)
    with travel(T0):
        shipped = shipping.sample_request_ship(sample=sample, by=fresh(shipper.user), carrier="sf", tracking_number="SF123456789012")
        assert shipped.state == SampleRequest.State.SHIPPED
        with pytest.raises(PermissionDenied, match="只有主账号和样品成员可以审核样品申请"):
            sample_requests.sample_request_approve(sample=waiting, by=fresh(shipper.user))
        page = signed_in(shipper.user).post(reverse("samples:merchant_decide", args=[waiting.pk]), {"action": "approve"})
    assert page.status_code == 403 and "只有主账号和样品成员" in page.content.decode()
    assert reload(waiting).state == SampleRequest.State.REQUESTED


def test_t1_a_member_limited_to_one_shop_sees_and_acts_only_there():
    sample = approved_at(T0)
    merchant = sample.merchant
    other_shop = factories.ShopFactory(merchant=merchant)
    shipper = add(merchant, Role.SHIPPING, shop_ids=[other_shop.pk])
    client = signed_in(shipper.user)
    assert client.get(reverse("samples:merchant_detail", args=[sample.pk])).status_code == 404
    assert sample.product.title not in client.get(reverse("samples:merchant_inbox")).content.decode()
    with travel(T0), pytest.raises(PermissionDenied, match="限定于其他店铺"):
        shipping.sample_request_ship(sample=sample, by=fresh(shipper.user), carrier="sf", tracking_number="SF123456789012")


# ---------------------------------------------------------------------------------------
# T2: who acted, everywhere


def test_t2_the_timeline_the_admin_and_the_creators_notification_name_the_member():
    sample = approved_at(T0)
    merchant = sample.merchant
    shipper = add(merchant, Role.SHIPPING, name="小王")
    client = signed_in(shipper.user)
    with travel(T0):
        response = client.post(reverse("samples:merchant_ship", args=[sample.pk]), {"carrier": "sf", "tracking_number": "SF123456789012"})
    assert response.status_code == 302
    shop = sample.product.shop.name
    with travel(T0):
        page = signed_in(merchant.user).get(reverse("samples:merchant_detail", args=[sample.pk])).content.decode()
    assert f"{shop} · 小王" in page
    note = Notification.objects.filter(user=sample.creator.user).latest("pk")
    assert note.actor == f"{merchant.name} · 小王"
    assert person_name(fresh(shipper.user)) == f"{merchant.name} · 小王"
    assert person_name(fresh(merchant.user)).startswith(f"{merchant.name} · ")


# ---------------------------------------------------------------------------------------
# T3: a change takes effect at the member's next request; keys carry at most the role


def test_t3_a_role_change_ends_the_members_session_at_its_next_request():
    merchant = factories.MerchantFactory()
    member = add(merchant, Role.SAMPLES)
    client = signed_in(member.user)
    assert client.get(reverse("samples:merchant_rules")).status_code == 200
    team_services.member_change(member=member, by=merchant.user, role=Role.READONLY)
    response = client.get(reverse("samples:merchant_rules"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("samples:merchant_rules")).status_code == 302  # signed out: the login page again


def test_t3_a_removed_member_is_signed_out_and_its_key_stops_at_once():
    merchant = factories.MerchantFactory()
    member = add(merchant, Role.SAMPLES)
    client = signed_in(member.user)
    assert client.get(reverse("samples:merchant_inbox")).status_code == 200
    _key, secret = make_key(member.user, scopes=("read", "samples"))
    api = Api(secret)
    assert api.get("/api/v1/merchant/sample-requests/").status_code == 200
    team_services.member_remove(member=member, by=merchant.user)
    assert client.get(reverse("samples:merchant_inbox")).status_code == 302
    refused = api.get("/api/v1/merchant/sample-requests/")
    assert refused.status_code == 401 and str(HOLDER_GONE) in refused.json()["detail"]


def test_t3_a_key_carries_at_most_its_holders_role():
    sample = request_at(T0)
    merchant = sample.merchant
    reader = add(merchant, Role.READONLY)
    shipper = add(merchant, Role.SHIPPING, login="ship", name="发货员")
    _k, secret = make_key(reader.user, scopes=("read", "samples"))
    with travel(T0):
        approve = Api(secret).post(f"/api/v1/merchant/sample-requests/{sample.pk}/approve/")
    assert approve.status_code == 403 and "只有主账号和样品成员" in approve.json()["detail"]
    _k, ship_secret = make_key(shipper.user, scopes=("read", "samples"))
    assert Api(ship_secret).get(f"/api/v1/merchant/sample-requests/{sample.pk}/").status_code == 200
    with travel(T0):
        assert Api(ship_secret).post(f"/api/v1/merchant/sample-requests/{sample.pk}/approve/").status_code == 403
    assert reload(sample).state == SampleRequest.State.REQUESTED


def test_t3_the_owner_makes_a_key_for_a_member_and_sees_who_holds_it():
    merchant = factories.MerchantFactory()
    member = add(merchant, Role.SHIPPING, name="小王")
    owner = signed_in(merchant.user)
    response = owner.post(reverse("api_keys:merchant"), {"name": "仓库系统", "holder": member.user.pk, "scopes": ["read", "samples"], "days": 30})
    assert response.status_code == 200
    key = member.user.api_keys.get()
    assert key.name == "仓库系统" and "小王（发货）" in response.content.decode()
    assert signed_in(member.user).get(reverse("api_keys:merchant")).status_code == 403  # only the owner manages keys


# ---------------------------------------------------------------------------------------
# T4: exactly one owner; ownership passes only by a recorded transfer


def test_t4_ownership_passes_to_a_member_by_a_recorded_transfer():
    merchant = factories.MerchantFactory()
    old_owner = merchant.user
    ops = add(merchant, Role.OPS, name="小李")
    with pytest.raises(PermissionDenied, match="只有商家主账号可以管理团队"):
        team_services.ownership_transfer(merchant=merchant, by=fresh(ops.user), to=ops, former_owner_name="老板")
    team_services.ownership_transfer(merchant=merchant, by=old_owner, to=ops, former_owner_name="老板", former_owner_role=Role.READONLY)
    merchant.refresh_from_db()
    assert merchant.user == ops.user
    seat = teams.seat_of(fresh(old_owner))
    assert (seat.role, seat.name) == (Role.READONLY, "老板")
    assert teams.seat_of(fresh(ops.user)).is_owner
    event = TeamEvent.objects.get(merchant=merchant, kind=TeamEvent.Kind.TRANSFERRED)
    assert (event.from_user, event.to_user, event.by) == (old_owner, ops.user, old_owner)
    assert signed_in(old_owner).get(reverse("merchant:team")).status_code == 403
    assert signed_in(ops.user).get(reverse("merchant:team")).status_code == 200
    # The platform's reviewers see it.
    staff = signed_in(factories.StaffFactory())
    assert "老板 → 小李" in staff.get(reverse("admin:shops_teamevent_changelist")).content.decode()


def test_t4_the_owner_cannot_be_removed_demoted_or_replaced_by_a_form():
    merchant = factories.MerchantFactory()
    gone = add(merchant, Role.OPS)
    team_services.member_remove(member=gone, by=merchant.user)
    with pytest.raises(ValidationError, match="只能转让给团队中在岗的成员"):
        team_services.ownership_transfer(merchant=merchant, by=merchant.user, to=gone, former_owner_name="老板")
    assert not Member.objects.filter(user=merchant.user).exists()  # the owner holds no member row to remove or demote
    staff = signed_in(factories.StaffFactory())
    page = staff.get(reverse("admin:shops_merchant_change", args=[merchant.pk])).content.decode()
    assert 'name="user"' not in page  # read-only on the reviewers' page too
