"""The API key pages in the merchant and creator workspaces."""

from django.urls import path

from api import pages

app_name = "api_keys"

urlpatterns = [
    path("merchant/api-keys/", pages.api_keys, {"role": "merchant"}, name="merchant"),
    path("merchant/api-keys/<int:pk>/revoke/", pages.api_key_revoke_view, {"role": "merchant"}, name="merchant_revoke"),
    path("creator/api-keys/", pages.api_keys, {"role": "creator"}, name="creator"),
    path("creator/api-keys/<int:pk>/revoke/", pages.api_key_revoke_view, {"role": "creator"}, name="creator_revoke"),
]
