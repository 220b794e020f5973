from django.urls import path

from flashsales import views

app_name = "flashsales"

urlpatterns = [
    # Creator workspace
    path("creator/flash-sales/", views.creator_list, name="creator_list"),
    path("creator/flash-sales/sessions/<int:pk>/", views.console, name="console"),
    path("creator/flash-sales/<int:pk>/end/", views.end, name="end"),
    path("creator/flash-sales/report/", views.creator_report, name="creator_report"),
    # Merchant workspace
    path("merchant/flash-sales/", views.merchant_list, name="merchant_list"),
    path("merchant/flash-sales/report/", views.merchant_report, name="merchant_report"),
    # Files
    path("flash-sales/pictures/<int:pk>/", views.picture, name="picture"),
    path("flash-sales/reports/<int:pk>/attachment/", views.report_attachment, name="report_attachment"),
    # The live room (viewers)
    path("live/<int:pk>/", views.live_room, name="live_room"),
    path("live/<int:pk>/join/", views.live_join, name="live_join"),
    path("live/<int:pk>/comment/", views.live_comment, name="live_comment"),
    path("live/<int:pk>/buy/<int:sale_pk>/", views.live_buy, name="live_buy"),
    path("live/<int:pk>/inbox/read/", views.live_inbox_read, name="live_inbox_read"),
]
