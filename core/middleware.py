class PlatformLanguageMiddleware:
    """The UI is Simplified Chinese unless the person chose English with the switch.

    Django's LocaleMiddleware would otherwise follow the browser's Accept-Language, and
    a merchant on an English-language browser would get English without asking. The
    switch sets the language cookie, which LocaleMiddleware still honours. The open API
    (/api/) is exempt: an ERP asks for its language with Accept-Language (Chinese by default).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):  # the open API answers in the Accept-Language asked for
            return self.get_response(request)
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


# ---------------------------------------------------------------------------------------
# Hardening (issue #11): the Content-Security-Policy, request-body limits, error pages.

import logging  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation  # noqa: E402
from django.core.files.uploadhandler import FileUploadHandler  # noqa: E402
from django.http import Http404  # noqa: E402

# No inline script and no script from anywhere else. Styles allow 'unsafe-inline' because the
# templates use style="" attributes (and htmx adds its indicator <style>); styles cannot run
# code. Uploaded files are served with their own, stricter policy (core.uploads.file_response).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class ContentSecurityPolicyMiddleware:
    """Every response carries the policy above unless it set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", getattr(settings, "CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY))
        return response


class RequestTooLarge(SuspiciousOperation):
    """A request body past the limits: the 413 page (core.views.bad_request)."""


class LimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: refuses a multipart body longer than MAX_REQUEST_BYTES
    before any of it is read, and stops any one file past MAX_UPLOAD_BYTES while it streams
    (a chunked body has no length to check up front), so a 50 MB post never reaches the disk."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > settings.MAX_REQUEST_BYTES:
            raise RequestTooLarge(f"request body of {content_length} bytes")
        self.total = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file_bytes = 0

    def receive_data_chunk(self, raw_data, start):
        self.file_bytes += len(raw_data)
        self.total = getattr(self, "total", 0) + len(raw_data)
        # A little slack over the per-file limit: the form says "too large" for files just over it.
        if self.file_bytes > settings.MAX_UPLOAD_BYTES + 1024 * 1024 or self.total > settings.MAX_REQUEST_BYTES:
            raise RequestTooLarge("upload too large")
        return raw_data

    def file_complete(self, file_size):
        return None


logger = logging.getLogger("django.request")


class FriendlyErrorPagesMiddleware:
    """With DEBUG on (the demo), show the same Chinese 400/403/404/500 pages users see in
    production instead of Django's technical pages; the traceback still goes to the log.
    With DEBUG off it does nothing: Django's handlers render those templates."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not settings.DEBUG or not getattr(settings, "FRIENDLY_ERROR_PAGES", True):
            return None
        from django.shortcuts import render

        from core import views

        if isinstance(exception, Http404):
            return render(request, "404.html", status=404)
        if isinstance(exception, PermissionDenied):
            return render(request, "403.html", {"exception": str(exception)}, status=403)
        if isinstance(exception, (SuspiciousOperation, BadRequest)):
            return views.bad_request(request, exception)
        logger.exception("Internal Server Error: %s", request.path)
        return views.server_error(request)
