"""/api/v1/: the schema, its docs page and every endpoint (merchant/, creator/, platform)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from api.problems import not_found
from api.views import domains, orders, samples, webhooks

app_name = "api"

router = SimpleRouter()
router.register("merchant/sample-requests", samples.MerchantSampleRequests, basename="merchant-sample-requests")
router.register("creator/sample-requests", samples.CreatorSampleRequests, basename="creator-sample-requests")
router.register("merchant/filings", domains.MerchantFilings, basename="merchant-filings")
router.register("merchant/flash-sales", domains.MerchantFlashSales, basename="merchant-flash-sales")
router.register("merchant/alliance-removals", domains.MerchantAllianceRemovals, basename="merchant-alliance-removals")
router.register("order-events", orders.OrderEvents, basename="order-events")
router.register("merchant/webhook-endpoints", webhooks.MerchantWebhookEndpoints, basename="merchant-webhook-endpoints")
router.register("merchant/webhook-deliveries", webhooks.MerchantWebhookDeliveries, basename="merchant-webhook-deliveries")
router.register("creator/live-sessions", domains.CreatorLiveSessions, basename="creator-live-sessions")
router.register("creator/marketplace", domains.CreatorMarketplace, basename="creator-marketplace")

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include(router.urls)),
    re_path(r"^", not_found, name="not_found"),  # any other path under /api/: a 404 problem, not the site's HTML page (#23)
]
