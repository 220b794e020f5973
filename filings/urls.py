from django.urls import path

from filings import views
from filings.appeals import views as appeal_views

app_name = "filings"

urlpatterns = [
    path("merchant/filings/", views.merchant_list, name="merchant_list"),
    path("merchant/filings/declare/", views.declare, name="declare"),
    path("merchant/filings/<int:pk>/", views.merchant_detail, name="merchant_detail"),
    path("merchant/filings/<int:pk>/withdraw/", views.merchant_withdraw, name="merchant_withdraw"),
    path("merchant/filings/<int:pk>/appeal/", views.merchant_appeal, name="merchant_appeal"),  # AP1
    path("merchant/filings/<int:pk>/appeal/withdraw/", views.merchant_appeal_withdraw, name="merchant_appeal_withdraw"),  # AP2
    path("filings/appeal-evidence/<int:pk>/", appeal_views.appeal_evidence, name="appeal_evidence"),  # AP1, AP5
    path("creator/filings/", views.creator_list, name="creator_list"),
    path("filings/documents/<int:pk>/", views.document_download, name="document"),
    path("filings/documents/<int:pk>/pages/<int:page>/", views.document_preview, name="document_preview"),  # #22.4
]
