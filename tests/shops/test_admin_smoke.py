"""Every admin page a reviewer can open renders: each changelist and one change page per
model, on the demo world."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_admin_changelist_and_change_page_renders(client, staff):
    call_command("seed_demo", verbosity=0)
    client.force_login(staff)
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        resp = client.get(url)
        assert resp.status_code == 200, url
        obj = model_admin.get_queryset(resp.wsgi_request).first()
        if obj is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            assert client.get(change).status_code == 200, change
