"""Hole 9: login is throttled. After AXES_FAILURE_LIMIT wrong passwords for one username
from one address, even the right password is refused with a Chinese lockout page, until a
reviewer unlocks it (Admin → Access attempts) or the cool-off passes.

Before the fix 30 wrong passwords, then the right one, logged in."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "right-horse-battery-9"


@pytest.fixture
def user():
    u = factories.MerchantFactory().user
    u.set_password(PASSWORD)
    u.save()
    return u


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.hardening
def test_hole9_thirty_wrong_passwords_then_the_right_one_is_locked_out_in_chinese(client, user, hardening):
    for _ in range(30):
        login(client, user.username, "wrong")
        hardening.hostile()
    resp = login(client, user.username, PASSWORD)
    hardening.hostile()  # the right password, sent while locked
    assert resp.status_code == 429
    html = resp.content.decode()
    assert "登录已锁定" in html and "审核员" in html
    assert "_auth_user_id" not in client.session


def test_hole9_the_limit_is_per_user_and_address(client, user):
    from django.test import Client

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, user.username, "wrong")
    assert login(client, user.username, PASSWORD).status_code == 429
    assert login(Client(REMOTE_ADDR="10.9.9.9"), user.username, PASSWORD).status_code == 302  # another address


def test_hole9_fewer_failures_than_the_limit_still_log_in(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, user.username, "wrong").status_code == 200
    assert login(client, user.username, PASSWORD).status_code == 302


def test_hole9_the_lock_lifts_after_the_cool_off(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, user.username, "wrong")
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        assert login(client, user.username, PASSWORD).status_code == 302


def test_hole9_a_reviewer_unlocks_it_in_the_admin(client, user, staff):
    from axes.models import AccessAttempt
    from django.test import Client

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, user.username, "wrong")
    attempt = AccessAttempt.objects.get(username=user.username)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="axes", codename__in=["view_accessattempt", "delete_accessattempt"]))
    reviewer = Client()
    reviewer.force_login(staff)
    assert reviewer.get("/admin/axes/accessattempt/").status_code == 200
    resp = reviewer.post("/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"})
    assert resp.status_code == 302 and not AccessAttempt.objects.exists()
    assert login(client, user.username, PASSWORD).status_code == 302
