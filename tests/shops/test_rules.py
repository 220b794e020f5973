"""The rules object: one place for every number, changed by staff, recorded, applied to new clocks."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import RuleChange, RuleSetting
from core.rules import RULES, rule_update, rules
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_rule_has_a_row_after_migrate():
    assert set(RuleSetting.objects.values_list("key", flat=True)) >= set(RULES)


def test_defaults_are_the_platform_numbers():
    assert rules.duration("sample_decide") == timedelta(hours=48)
    assert rules.duration("sample_ship_cancel") == timedelta(hours=120)
    assert rules.duration("sample_auto_receive") == timedelta(hours=168)
    assert rules.duration("sample_fulfil") == timedelta(hours=360)
    assert rules.duration("sample_video_keep") == timedelta(days=7)
    assert rules.duration("sample_live_keep") == timedelta(minutes=3)
    assert rules.count("fs_full_cap") == 20
    assert rules.count("fs_targeted_cap") == 100
    assert rules.count("official_non_own_per_session") == 3
    assert rules.count("filing_lead_working_days") == 2
    assert rules.flag("samples_cross_border") is False


def test_a_change_takes_effect_and_is_recorded(staff):
    rule_update(key="sample_decide", value=30, unit="seconds", by=staff, reason="integration demo")
    assert rules.duration("sample_decide") == timedelta(seconds=30)
    change = RuleChange.objects.get()
    assert (change.changed_by, change.old_value, change.old_unit, change.new_value, change.new_unit) == (
        staff, 48, "hours", 30, "seconds",
    )
    assert change.reason == "integration demo"


def test_only_staff_with_permission_change_rules():
    user = factories.UserFactory()
    with pytest.raises(PermissionDenied):
        rule_update(key="fs_full_cap", value=5, unit="count", by=user)
    assert rules.count("fs_full_cap") == 20


@pytest.mark.parametrize("key,value,unit", [("fs_full_cap", 5, "hours"), ("sample_decide", 2, "count"), ("samples_virtual", 2, "flag")])
def test_a_bad_change_is_refused_and_changes_nothing(staff, key, value, unit):
    before = RuleSetting.objects.get(key=key)
    with pytest.raises(ValidationError):
        rule_update(key=key, value=value, unit=unit, by=staff)
    after = RuleSetting.objects.get(key=key)
    assert (after.value, after.unit) == (before.value, before.unit)
    assert not RuleChange.objects.exists()


def test_admin_change_goes_through_the_service(client, staff):
    client.force_login(staff)
    setting = RuleSetting.objects.get(key="fs_full_cap")
    resp = client.post(f"/admin/core/rulesetting/{setting.pk}/change/", {
        "value": 25, "unit": "count", "reason": "旺季调整",
        "changes-TOTAL_FORMS": 0, "changes-INITIAL_FORMS": 0, "changes-MIN_NUM_FORMS": 0, "changes-MAX_NUM_FORMS": 1000,
    })
    assert resp.status_code == 302, resp.content[:2000]
    assert rules.count("fs_full_cap") == 25
    assert RuleChange.objects.get().reason == "旺季调整"
    said = [str(m) for m in get_messages(resp.wsgi_request)]
    assert len(said) == 1 and f"{RULES['fs_full_cap'].description} (FS5)" in said[0] and "fs_full_cap" not in said[0]


def test_admin_refuses_a_wrong_unit_with_a_message(client, staff):
    client.force_login(staff)
    setting = RuleSetting.objects.get(key="fs_full_cap")
    resp = client.post(f"/admin/core/rulesetting/{setting.pk}/change/", {
        "value": 25, "unit": "hours", "reason": "",
        "changes-TOTAL_FORMS": 0, "changes-INITIAL_FORMS": 0, "changes-MIN_NUM_FORMS": 0, "changes-MAX_NUM_FORMS": 1000,
    })
    assert resp.status_code == 200
    assert "该规则不能使用此单位。" in resp.content.decode()
    assert rules.count("fs_full_cap") == 20


def test_a_snapshot_reads_several_rules_in_one_query(staff, django_assert_num_queries):
    rule_update(key="fs_full_cap", value=25, unit="count", by=staff)
    with django_assert_num_queries(1):
        r = rules.snapshot("fs_full_cap", "sample_decide", "samples_virtual")
    assert (r.count("fs_full_cap"), r.duration("sample_decide"), r.flag("samples_virtual")) == (25, timedelta(hours=48), False)
    with pytest.raises(KeyError):
        rules.snapshot("no_such_rule")
