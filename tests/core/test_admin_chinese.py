"""#22, Chinese throughout the reviewers' workspace: every changelist's column headers and
filter titles, and every change page's field labels, inline headers and history, read in
Chinese by default on the demo world."""

import re

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

PRODUCT_APPS = {"core", "shops", "filings", "samples", "flashsales", "ops"}
# Words that are the same in Chinese text: ids, units of money, brand names.
ALLOWED = {"ID", "PK", "URL", "App", "APP", "API", "Android", "iOS", "CSV", "PDF"}
HEADINGS = re.compile(
    r'<th[^>]*scope="col"[^>]*>.*?<(?:a|span)[^>]*>([^<]+)</|'  # changelist columns
    r'<th class="column-[^"]*"[^>]*>([^<]+)<|'  # inline columns
    r"<h3>\s*([^<]+?)\s*</h3>|"  # filter titles ("按 … 过滤" in Chinese)
    r'<label[^>]*for="id_[^"]*"[^>]*>([^<]+)<',  # field labels
    re.S,
)


def english_in(html: str) -> set[str]:
    found = set()
    for groups in HEADINGS.findall(html):
        text = next(g for g in groups if g).strip()
        words = {w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED}
        if words:
            found.add(text)
    return found


def test_22_every_admin_column_filter_and_label_is_chinese_by_default(client, staff):
    call_command("seed_demo", verbosity=0)
    client.force_login(staff)
    english = {}
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        if meta.app_label not in PRODUCT_APPS:
            continue
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        resp = client.get(url)
        pages = [resp.content.decode()]
        obj = model_admin.get_queryset(resp.wsgi_request).first()
        if obj is not None:
            pages.append(client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])).content.decode())
        for html in pages:
            for text in english_in(html):
                english.setdefault(meta.label, set()).add(text)
    assert english == {}, "; ".join(f"{k}: {sorted(v)}" for k, v in sorted(english.items()))


def test_22_s5_a_sweep_is_named_by_its_rule_in_the_history_not_by_its_task(client, staff):
    from datetime import timedelta

    from samples.services.sweeps import sweep_cancel_unshipped
    from tests.samples.factories import T0, approved_at, travel

    sample = approved_at(T0)
    with travel(T0 + timedelta(hours=121)):
        assert sweep_cancel_unshipped() == 1
        client.force_login(staff)
        html = client.get(reverse("admin:samples_samplerequest_change", args=[sample.pk])).content.decode()
    assert "系统（S5 未在 120 小时内发货，自动取消）" in html
    assert "samples.sweep_cancel_unshipped" not in html and "系统任务" not in html
