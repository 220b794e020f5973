"""The API key pages in the merchant and creator workspaces."""

from django.urls import path

from api import pages
from api.webhooks import pages as webhook_pages

app_name = "api_keys"

urlpatterns = [
    path("merchant/api-keys/", pages.api_keys, {"role": "merchant"}, name="merchant"),
    path("merchant/api-keys/<int:pk>/revoke/", pages.api_key_revoke_view, {"role": "merchant"}, name="merchant_revoke"),
    path("creator/api-keys/", pages.api_keys, {"role": "creator"}, name="creator"),
    path("creator/api-keys/<int:pk>/revoke/", pages.api_key_revoke_view, {"role": "creator"}, name="creator_revoke"),
    path("merchant/webhooks/", webhook_pages.webhooks, name="webhooks"),
    path("merchant/webhooks/<int:pk>/delete/", webhook_pages.endpoint_delete, name="webhook_delete"),
    path("merchant/webhooks/deliveries/<int:pk>/replay/", webhook_pages.delivery_replay, name="webhook_replay"),
]
