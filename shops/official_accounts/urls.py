"""URLs of official accounts (C4, C5), mounted under the merchant and creator namespaces (shops/urls.py)."""

from django.urls import path

from shops.official_accounts import views

merchant_patterns = [
    path("shops/<int:pk>/type/", views.shop_type_change, name="shop_type_change"),
    path("shops/<int:pk>/close/", views.shop_close, name="shop_close"),
]

creator_patterns = [
    path("account/", views.account_mode, name="account_mode"),
    path("showcase/addable/", views.showcase_addable, name="showcase_addable"),
]
