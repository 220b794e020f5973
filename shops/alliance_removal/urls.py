"""URLs of alliance removals (D1–D4), mounted under the merchant namespace (shops/urls.py)."""

from django.urls import path

from shops.alliance_removal import views

merchant_patterns = [
    path("alliance/", views.alliance, name="alliance"),
    path("alliance/remove/", views.alliance_remove, name="alliance_remove"),
    path("alliance/removals/<int:pk>/cancel/", views.alliance_removal_cancel, name="alliance_removal_cancel"),
    path("alliance/removals/<int:pk>/announce/", views.alliance_removal_announce, name="alliance_removal_announce"),
]
