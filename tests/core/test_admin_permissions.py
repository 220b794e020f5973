"""#13, the reviewers' admin: records whose history matters cannot be deleted (a permission,
superusers included, so the delete page and the bulk action refuse too), and notifications
stay as they were sent."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory

from core.models import Notification
from core.notifications import notify
from tests import factories

pytestmark = pytest.mark.django_db

# The product's own models (Django's users and groups and django-axes' login records follow
# their libraries' rules: deleting a failed-login record is how a reviewer unlocks a login,
# and a user with records is protected by the records' PROTECT keys).
PRODUCT_APPS = {"core", "shops", "filings", "samples", "flashsales", "api", "ops"}
# Models the admin may delete, each with why that loses no history.
DELETABLE = {
    "core.ReasonTemplate": "configuration; a decision keeps its own reason text",
    "shops.Category": "configuration; a category any product uses is protected (PROTECT)",
    "shops.QualificationDocumentType": "configuration; a type any document or category uses is protected",
}


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_13_no_record_whose_history_matters_can_be_deleted_even_by_a_superuser():
    request = _request(factories.StaffFactory(username="root"))
    deletable = {
        model._meta.label for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PRODUCT_APPS and model_admin.has_delete_permission(request)
    }
    assert deletable == set(DELETABLE)


def test_13_the_delete_page_refuses_too(client):
    creator = factories.CreatorFactory()
    client.force_login(factories.StaffFactory(username="root"))
    assert client.post(f"/admin/shops/creator/{creator.pk}/delete/", {"post": "yes"}).status_code == 403
    assert type(creator).objects.filter(pk=creator.pk).exists()


def test_13_reviewers_read_notifications_but_never_add_rewrite_or_delete_them(client):
    reviewer = factories.UserFactory(username="rev", is_staff=True)
    reviewer.user_permissions.add(*Permission.objects.filter(content_type__app_label="core"))
    person = factories.UserFactory(username="someone")
    notify(user=person, title="您的样品申请已通过", body="请在 48 小时内发货。")
    note = Notification.objects.get(user=person)
    client.force_login(reviewer)
    page = client.get(f"/admin/core/notification/{note.pk}/change/")
    assert page.status_code == 200 and "您的样品申请已通过" in page.content.decode()
    assert client.post(f"/admin/core/notification/{note.pk}/change/", {"title": "改过的", "body": "x"}).status_code == 403
    assert client.get("/admin/core/notification/add/").status_code == 403
    assert client.post(f"/admin/core/notification/{note.pk}/delete/", {"post": "yes"}).status_code == 403
    note.refresh_from_db()
    assert note.title == "您的样品申请已通过"
