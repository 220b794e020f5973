from django.urls import path

from samples import views, views_volume

app_name = "samples"

urlpatterns = [
    # Creator: 选品广场-我的-样品申请 (S8)
    path("creator/samples/", views.creator_list, name="creator_list"),
    path("creator/samples/request/<int:product_pk>/", views.creator_request, name="creator_request"),
    path("creator/samples/score/", views.creator_score, name="creator_score"),  # V1
    path("creator/samples/<int:pk>/", views.creator_detail, name="creator_detail"),
    path("creator/samples/<int:pk>/withdraw/", views.creator_withdraw, name="creator_withdraw"),
    path("creator/samples/<int:pk>/receive/", views.creator_receive, name="creator_receive"),
    path("creator/samples/<int:pk>/promote/", views.creator_promote, name="creator_promote"),
    # Merchant: the sample inbox (S8)
    path("merchant/samples/", views.merchant_inbox, name="merchant_inbox"),
    path("merchant/samples/bulk/", views.merchant_bulk, name="merchant_bulk"),
    path("merchant/samples/<int:pk>/", views.merchant_detail, name="merchant_detail"),
    path("merchant/samples/<int:pk>/decide/", views.merchant_decide, name="merchant_decide"),
    path("merchant/samples/<int:pk>/ship/", views.merchant_ship, name="merchant_ship"),
    # Merchant: sample settings (V2 quotas, V4 triage rules, V5 blocklist)
    path("merchant/samples/quotas/", views.merchant_quotas, name="merchant_quotas"),
    path("merchant/samples/quotas/<int:product_pk>/", views.merchant_quota_set, name="merchant_quota_set"),
    path("merchant/samples/rules/", views.merchant_rules, name="merchant_rules"),
    path("merchant/samples/rules/new/", views.merchant_rule_create, name="merchant_rule_create"),
    path("merchant/samples/rules/<int:pk>/switch/", views.merchant_rule_switch, name="merchant_rule_switch"),
    path("merchant/samples/blocks/", views.merchant_blocks, name="merchant_blocks"),
    path("merchant/samples/blocks/new/", views.merchant_block_create, name="merchant_block_create"),
    path("merchant/samples/blocks/<int:pk>/lift/", views.merchant_block_lift, name="merchant_block_lift"),
    # Samples at volume: V7 extension, V9 not arrived, V10 return on samples
    path("creator/samples/<int:pk>/extension/", views_volume.creator_extension, name="creator_extension"),
    path("creator/samples/<int:pk>/not-arrived/", views_volume.creator_not_arrived, name="creator_not_arrived"),
    path("merchant/samples/<int:pk>/extension/", views_volume.merchant_extension, name="merchant_extension"),
    path("merchant/samples/<int:pk>/reship/", views_volume.merchant_reship, name="merchant_reship"),
    path("merchant/samples/returns/", views_volume.merchant_returns, name="merchant_returns"),
    path("merchant/samples/returns.csv", views_volume.merchant_returns_csv, name="merchant_returns_csv"),
]
