"""Errors as RFC 9457 problem details (application/problem+json), naming the rule that
refused where one did: {"type", "title", "status", "detail", "rule", "errors"}."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from api.rule_ids import is_stale, rule_of

PROBLEM_TYPE = "application/problem+json"
TYPE_BASE = "https://daihuo-desk.local/problems/"  # a stable identifier (RFC 9457 §3.1.1), not fetched

_TITLES = {
    400: ("invalid-request", lambda: _("The request is not valid.")),
    401: ("unauthenticated", lambda: _("Authentication needed.")),
    403: ("forbidden", lambda: _("Not allowed.")),
    404: ("not-found", lambda: _("Not found.")),
    405: ("method-not-allowed", lambda: _("Method not allowed.")),
    406: ("not-acceptable", lambda: _("Not acceptable.")),
    409: ("conflict", lambda: _("Conflict.")),
    415: ("unsupported-media-type", lambda: _("Unsupported media type.")),
    422: ("rule-refused", lambda: _("Refused by a platform rule.")),
    429: ("rate-limited", lambda: _("Too many requests.")),
}


def _body(status_code: int, detail: str, *, kind: str | None = None, title: str | None = None) -> dict:
    slug, default_title = _TITLES.get(status_code, ("error", lambda: _("Error.")))
    return {"type": TYPE_BASE + (kind or slug), "title": title or default_title(), "status": status_code, "detail": detail}


def problem(status_code: int, detail: str, *, rule: str | None = None, errors=None, kind: str | None = None, headers=None,
            title: str | None = None) -> Response:
    body = _body(status_code, detail, kind=kind, title=title)
    if rule:
        body["rule"] = rule
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_TYPE)


@csrf_exempt
def not_found(request, *args, **kwargs) -> JsonResponse:
    """A path under /api/ that names no endpoint (and no id of one)."""
    return JsonResponse(_body(404, _("Not found.")), status=404, content_type=PROBLEM_TYPE,
                        json_dumps_params={"ensure_ascii": False})


# DRF's messages for these codes quote what was sent ('"<b>" is not a valid choice.'): an
# error page must not echo input (#23). The field is still named under "errors".
_ECHOING = {
    "invalid_choice": lambda: _("Not one of the allowed values."),
    "does_not_exist": lambda: _("No such object."),
    "incorrect_type": lambda: _("The value has the wrong type."),
    "invalid_pk_value": lambda: _("No such object."),
}


def _quiet(detail):
    """The error detail with the messages that quote the input replaced by fixed ones."""
    if isinstance(detail, dict):
        return {key: _quiet(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_quiet(value) for value in detail]
    code = getattr(detail, "code", None)
    if code in _ECHOING:
        return exceptions.ErrorDetail(_ECHOING[code](), code=code)
    return detail


def _flat(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for v in detail.values() for m in _flat(v)]
    if isinstance(detail, list):
        return [m for v in detail for m in _flat(v)]
    return [str(detail)]


def _service_refusal(exc: DjangoValidationError) -> Response:
    """A service said no: 422 with its message(s) and the rule; field errors kept by field."""
    errors = None
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        items = [e for field_errors in exc.error_dict.values() for e in field_errors]
    else:
        items = exc.error_list
    messages = [str(m) for m in exc.messages]
    rule = next((r for e in items if (r := rule_of(str(next(iter(e))), getattr(e, "code", None)))), None)
    stale = any(is_stale(m) for m in messages)
    return problem(409 if stale and not rule else 422, " ".join(messages), rule=rule, errors=errors,
                   kind="state-changed" if stale and not rule else None)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        return _service_refusal(exc)
    if isinstance(exc, Http404):
        return problem(404, _("Not found."))
    if isinstance(exc, DjangoPermissionDenied):
        return problem(403, str(exc) or _("Not allowed."))
    response = drf_handler(exc, context)
    if response is None:
        return None  # a bug: a 500, never dressed up
    headers = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")}
    if isinstance(exc, exceptions.ValidationError):
        detail = _quiet(exc.detail)
        return problem(400, " ".join(_flat(detail)), errors=detail if isinstance(detail, dict) else None, headers=headers)
    if isinstance(exc, exceptions.Throttled):
        return problem(429, str(exc.detail), rule="API1", headers=headers)
    code = response.status_code
    if code == status.HTTP_403_FORBIDDEN and isinstance(exc, exceptions.NotAuthenticated):
        code = 401
    return problem(code, " ".join(_flat(response.data.get("detail", response.data))), headers=headers)
