from django.urls import path

from samples.views import addresses, appeals, creator, merchant, merchant_settings, returns, ship_sheet, stats

app_name = "samples"

urlpatterns = [
    # Creator: 选品广场-我的-样品申请 (S8)
    path("creator/samples/", creator.creator_list, name="creator_list"),
    path("creator/samples/request/<int:product_pk>/", creator.creator_request, name="creator_request"),
    path("creator/samples/score/", creator.creator_score, name="creator_score"),  # V1
    path("creator/samples/<int:pk>/", creator.creator_detail, name="creator_detail"),
    path("creator/samples/<int:pk>/withdraw/", creator.creator_withdraw, name="creator_withdraw"),
    path("creator/samples/<int:pk>/receive/", creator.creator_receive, name="creator_receive"),
    path("creator/samples/<int:pk>/receive/confirm/", creator.creator_receive_confirm, name="creator_receive_confirm"),
    path("creator/samples/<int:pk>/promote/", creator.creator_promote, name="creator_promote"),
    path("creator/samples/<int:pk>/extension/", creator.creator_extension, name="creator_extension"),  # V7
    path("creator/samples/<int:pk>/appeal/", creator.creator_appeal, name="creator_appeal"),  # AP1
    path("creator/samples/<int:pk>/appeal/withdraw/", creator.creator_appeal_withdraw, name="creator_appeal_withdraw"),  # AP2
    path("samples/appeal-evidence/<int:pk>/", appeals.appeal_evidence, name="appeal_evidence"),  # AP1, AP5
    path("creator/samples/<int:pk>/not-arrived/", creator.creator_not_arrived, name="creator_not_arrived"),  # V9
    # Creator: the address book (收货地址)
    path("creator/addresses/", addresses.address_book, name="creator_addresses"),
    path("creator/addresses/new/", addresses.address_edit, name="creator_address_new"),
    path("creator/addresses/<int:pk>/", addresses.address_edit, name="creator_address_edit"),
    path("creator/addresses/<int:pk>/default/", addresses.address_default, name="creator_address_default"),
    path("creator/addresses/<int:pk>/delete/", addresses.address_delete, name="creator_address_delete"),
    # Merchant: the sample inbox (S8)
    path("merchant/samples/", merchant.merchant_inbox, name="merchant_inbox"),
    path("merchant/samples/bulk/", merchant.merchant_bulk, name="merchant_bulk"),
    path("merchant/samples/bulk/decline/", merchant.merchant_bulk_decline_confirm, name="merchant_bulk_decline_confirm"),
    # Merchant: 批量发货, shipping by spreadsheet (issue 24)
    path("merchant/samples/ship-sheet/", ship_sheet.merchant_ship_sheet, name="merchant_ship_sheet"),
    path("merchant/samples/ship-sheet/template.xlsx", ship_sheet.merchant_ship_sheet_xlsx, name="merchant_ship_sheet_xlsx"),
    path("merchant/samples/ship-sheet/template.csv", ship_sheet.merchant_ship_sheet_csv, name="merchant_ship_sheet_csv"),
    path("merchant/samples/ship-sheet/<int:pk>/", ship_sheet.merchant_ship_sheet_result, name="merchant_ship_sheet_result"),
    path("merchant/samples/ship-sheet/<int:pk>/refused.xlsx", ship_sheet.merchant_ship_sheet_refused, name="merchant_ship_sheet_refused"),
    path("merchant/samples/<int:pk>/", merchant.merchant_detail, name="merchant_detail"),
    path("merchant/samples/<int:pk>/decide/", merchant.merchant_decide, name="merchant_decide"),
    path("merchant/samples/<int:pk>/ship/", merchant.merchant_ship, name="merchant_ship"),
    path("merchant/samples/<int:pk>/extension/", merchant.merchant_extension, name="merchant_extension"),  # V7
    path("merchant/samples/<int:pk>/reship/", merchant.merchant_reship, name="merchant_reship"),  # V9
    # Merchant: sample settings (V2 quotas, V4 triage rules, V5 blocklist)
    path("merchant/samples/quotas/", merchant_settings.merchant_quotas, name="merchant_quotas"),
    path("merchant/samples/quotas/<int:product_pk>/", merchant_settings.merchant_quota_set, name="merchant_quota_set"),
    path("merchant/samples/rules/", merchant_settings.merchant_rules, name="merchant_rules"),
    path("merchant/samples/rules/new/", merchant_settings.merchant_rule_create, name="merchant_rule_create"),
    path("merchant/samples/rules/<int:pk>/switch/", merchant_settings.merchant_rule_switch, name="merchant_rule_switch"),
    path("merchant/samples/blocks/", merchant_settings.merchant_blocks, name="merchant_blocks"),
    path("merchant/samples/blocks/new/", merchant_settings.merchant_block_create, name="merchant_block_create"),
    path("merchant/samples/blocks/<int:pk>/lift/", merchant_settings.merchant_block_lift, name="merchant_block_lift"),
    # Merchant: return on samples (V10)
    path("merchant/samples/returns/", returns.merchant_returns, name="merchant_returns"),
    path("merchant/samples/returns.csv", returns.merchant_returns_csv, name="merchant_returns_csv"),
    # Merchant: statistics (数据): the sample funnel and the fulfilment rate per week
    path("merchant/samples/stats/", stats.merchant_stats, name="merchant_stats"),
]
