from django.urls import path

from shops import team_views, views
from shops.alliance_removal import urls as alliance_removal_urls
from shops.official_accounts import urls as official_accounts_urls

merchant_patterns = (
    [
        path("", views.merchant_dashboard, name="dashboard"),
        path("shops/", views.merchant_shops, name="shops"),
        path("products/", views.merchant_products, name="products"),
        path("products/new/", views.merchant_product_create, name="product_create"),
        path("products/<int:pk>/", views.merchant_product_detail, name="product_detail"),
        path("products/<int:pk>/edit/", views.merchant_product_edit, name="product_edit"),
        path("products/<int:pk>/sale/", views.merchant_product_sale, name="product_sale"),
        path("products/<int:pk>/alliance/", views.merchant_product_alliance, name="product_alliance"),
        path("products/<int:pk>/samples-switch/", views.merchant_sample_switch, name="sample_switch"),
        # T1–T4: the owner's team pages
        path("team/", team_views.team, name="team"),
        path("team/<int:pk>/", team_views.team_member, name="team_member"),
        path("team/<int:pk>/remove/", team_views.team_member_remove, name="team_member_remove"),
        path("team/transfer/", team_views.team_transfer, name="team_transfer"),
        *official_accounts_urls.merchant_patterns,
        *alliance_removal_urls.merchant_patterns,
    ],
    "merchant",
)

creator_patterns = (
    [
        path("", views.creator_dashboard, name="dashboard"),
        path("marketplace/", views.marketplace, name="marketplace"),
        path("marketplace/<int:pk>/", views.marketplace_detail, name="marketplace_detail"),
        path("showcase/", views.showcase, name="showcase"),
        path("showcase/add/", views.showcase_add, name="showcase_add"),
        path("showcase/<int:pk>/remove/", views.showcase_remove, name="showcase_remove"),
        path("sessions/", views.sessions, name="sessions"),
        path("sessions/new/", views.session_create, name="session_create"),
        path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
        path("sessions/<int:pk>/transition/", views.session_transition, name="session_transition"),
        path("sessions/<int:pk>/transition/<slug:action>/", views.session_transition_confirm, name="session_transition_confirm"),
        path("sessions/<int:pk>/cart/add/", views.cart_add, name="cart_add"),
        path("sessions/<int:pk>/cart/<int:item_pk>/", views.cart_item_action, name="cart_item_action"),
        path("videos/", views.videos, name="videos"),
        path("videos/publish/", views.video_publish, name="video_publish"),
        *official_accounts_urls.creator_patterns,
    ],
    "creator",
)
