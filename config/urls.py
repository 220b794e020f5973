from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularSwaggerSplitView

from core import views as core_views
from shops.urls import creator_patterns, merchant_patterns

admin.site.site_header = _("Daihuo Desk · platform review")
admin.site.site_title = _("Daihuo Desk")
admin.site.index_title = _("Platform review")
# The reviewers' admin: no model list beside every page. It took 290 px of a 1280 px screen
# from the changelists (the index and the breadcrumbs lead to every model).
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # T1: a new team member opens its invitation once to choose its password.
    path("accounts/invite/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="registration/invite_confirm.html", success_url=reverse_lazy("login"), post_reset_login=False,
    ), name="team_invite"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notifications/", core_views.notifications, name="notifications"),
    path("notifications/read/", core_views.notifications_mark_read, name="notifications_mark_read"),
    path("notifications/<int:pk>/", core_views.notification_open, name="notification_open"),
    path("", include("filings.urls")),  # 报备: /merchant/filings/, /creator/filings/, private documents
    path("merchant/", include(merchant_patterns)),
    path("creator/", include(creator_patterns)),
    path("", include("flashsales.urls", namespace="flashsales")),
    path("", include("samples.urls", namespace="samples")),  # 样品服务: /creator/samples/, /merchant/samples/
    path("", include("ops.urls")),  # /healthz, /readyz, /metrics, /admin/ops/ (before the admin's catch-all)
    path("admin/", admin.site.urls),
    # 接口文档: swagger-ui with its start-up script served as a file (?script) instead of inline,
    # which the Content-Security-Policy (script-src 'self') blocked: the page was blank. Before
    # api.urls, whose docs route this one answers for (the name api:docs still points here).
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
    path("api/", include("api.urls", namespace="api")),  # #14: the open API, its schema and docs
    path("", include("api.page_urls", namespace="api_keys")),  # #14: API keys in the merchant/creator workspaces
    # Product pictures are public (the marketplace shows them). Private uploads
    # (qualification documents) are never under this prefix: their apps serve them
    # through views that check who is asking.
    re_path(r"^media/(?P<path>products/[0-9a-f]{32}\.(?:jpg|png))$", core_views.public_upload),
]

# Error pages in the user's language (templates/400.html, 403.html, 404.html, 500.html).
handler400 = "core.views.bad_request"
handler500 = "core.views.server_error"
