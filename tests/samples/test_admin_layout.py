"""#13: the reviewers' sample-request list fits 1280 px: short local times (full date in the
title), long titles and tracking numbers clipped with the whole in their title, the S3 close
reason as the state's title instead of a column of its own; no model list beside the page."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from core.admin_base import clipped, short_time
from samples.models import SampleRequest
from samples.services import requests
from tests import factories
from tests.samples.factories import T0, request_at, travel

pytestmark = pytest.mark.django_db


def test_short_time_is_local_month_day_with_the_full_date_in_its_title(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    html = short_time(datetime(2026, 11, 30, 17, 24, 12, tzinfo=UTC))
    assert '<time datetime="2026-12-01T01:24:12+08:00" title="2026-12-01 01:24">12-01 01:24</time>' == html
    assert short_time(None) == "—"


def test_clipped_keeps_short_text_and_cuts_long_text_with_the_whole_in_the_title():
    assert clipped("翡翠平安扣吊坠", 14) == "翡翠平安扣吊坠"
    assert clipped("和田玉手镯 白玉 圈口56 一手货", 8) == '<span title="和田玉手镯 白玉 圈口56 一手货">和田玉手镯 白…</span>'


def test_s3_sample_list_shows_short_columns_and_the_close_reason_as_the_state_title(client):
    sample = request_at(T0)
    with travel(T0 + timedelta(hours=1)):
        requests.sample_request_override(sample=sample, action="override_cancel", by=factories.StaffFactory(), reason="商家缺货")
    sample = SampleRequest.objects.get(pk=sample.pk)
    assert sample.state == SampleRequest.State.CANCELLED and sample.reason_in_label
    client.force_login(factories.StaffFactory(username="lister", is_superuser=True))
    page = client.get("/admin/samples/samplerequest/").content.decode()
    row = re.search(r'<tr>.*?</tr>', page.split('id="result_list"')[1].split("<tbody>")[1], re.S).group(0)
    assert f'title="{sample.state_label}">{sample.get_state_display()}</span>' in row
    assert "<time " in row and str(sample.requested_at.year) + "年" not in row
    assert 'id="nav-sidebar"' not in page  # the 290 px model list is off: the list gets the width
