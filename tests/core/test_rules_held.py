"""core.rules.RulesObject.held: a batch reads its rules once (批量发货 ships thousands of rows,
each reading S6's rule); outside the block every read sees the database again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import RuleSetting
from core.rules import rules

pytestmark = pytest.mark.django_db


def test_a_held_rule_is_read_once_and_keeps_its_value_until_the_block_ends():
    RuleSetting.objects.update_or_create(key="sample_auto_receive", defaults={"value": 168, "unit": "hours"})
    with rules.held("sample_auto_receive"):
        RuleSetting.objects.filter(key="sample_auto_receive").update(value=200)  # staff changed it meanwhile
        with CaptureQueriesContext(connection) as queries:
            values = [rules.duration("sample_auto_receive") for _ in range(5)]
        assert values == [timedelta(hours=168)] * 5 and len(queries.captured_queries) == 0
        assert rules.duration("sample_decide") == timedelta(hours=48)  # not held: read as always
    assert rules.duration("sample_auto_receive") == timedelta(hours=200)  # the next batch sees the change
