from django.urls import path

from filings import views

app_name = "filings"

urlpatterns = [
    path("merchant/filings/", views.merchant_list, name="merchant_list"),
    path("merchant/filings/declare/", views.declare, name="declare"),
    path("merchant/filings/<int:pk>/", views.merchant_detail, name="merchant_detail"),
    path("merchant/filings/<int:pk>/withdraw/", views.merchant_withdraw, name="merchant_withdraw"),
    path("creator/filings/", views.creator_list, name="creator_list"),
    path("filings/documents/<int:pk>/", views.document_download, name="document"),
]
