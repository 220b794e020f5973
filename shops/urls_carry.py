"""URLs of carry limits (C5) and alliance removals (D1–D4), mounted under the merchant and creator namespaces."""

from django.urls import path

from shops import views_carry

merchant_carry_patterns = [
    path("shops/<int:pk>/type/", views_carry.shop_type_change, name="shop_type_change"),
    path("shops/<int:pk>/close/", views_carry.shop_close, name="shop_close"),
    path("alliance/", views_carry.alliance, name="alliance"),
    path("alliance/remove/", views_carry.alliance_remove, name="alliance_remove"),
    path("alliance/removals/<int:pk>/cancel/", views_carry.alliance_removal_cancel, name="alliance_removal_cancel"),
    path("alliance/removals/<int:pk>/announce/", views_carry.alliance_removal_announce, name="alliance_removal_announce"),
]

creator_carry_patterns = [
    path("account/", views_carry.account_mode, name="account_mode"),
    path("showcase/addable/", views_carry.showcase_addable, name="showcase_addable"),
]
