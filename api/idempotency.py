"""Idempotency-Key on every write: the first answer (success or refusal) is stored under a
unique (key, Idempotency-Key); a retry gets that answer back and nothing is done twice.

The stored row is inserted in the same transaction as the write, so a concurrent retry
waits on the unique index until the first commits, then reads its answer. A retry with the
same Idempotency-Key but another body is refused (422 Unprocessable Content, as the IETF
draft "The Idempotency-Key HTTP Header Field" asks), saying so: no platform rule is involved.
"""

from __future__ import annotations

import hashlib
import json
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.renderers import JSONRenderer

from api.models import IdempotentAnswer
from api.problems import problem

KEY_REUSED = gettext_lazy(
    "This Idempotency-Key was already used for a request with another body; nothing was done. "
    "Send a new Idempotency-Key for a new request, or the same body to get the first answer again."
)
KEY_REUSED_TITLE = gettext_lazy("Idempotency-Key reused with another request.")

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description="A unique value per intended action (e.g. a UUID); retries send the same value.",
)


def _fingerprint(request) -> str:
    data = request.data
    if hasattr(data, "lists"):  # a form or multipart body: fields and the files' names and sizes
        data = {k: [getattr(v, "name", v) if not hasattr(v, "size") else f"{v.name}:{v.size}" for v in vs] for k, vs in data.lists()}
    raw = json.dumps([request.method, request.path, data], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def _replay(answer: IdempotentAnswer) -> HttpResponse:
    response = HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(handler):
    """Wrap a write action of an API view (after authentication and the scope check)."""

    @wraps(handler)
    def wrapped(self, request, *args, **kwargs):
        value = request.headers.get("Idempotency-Key", "").strip()
        if not value or len(value) > 200:
            return problem(400, _("Send an Idempotency-Key header (1–200 characters) with every write."), kind="idempotency-key-missing")
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    answer = IdempotentAnswer.objects.create(key=request.auth, idempotency_key=value, fingerprint=fingerprint)
            except IntegrityError:
                answer = IdempotentAnswer.objects.get(key=request.auth, idempotency_key=value)
                if answer.fingerprint != fingerprint:
                    return problem(422, str(KEY_REUSED), kind="idempotency-key-reused", title=str(KEY_REUSED_TITLE))
                return _replay(answer)
            try:
                response = handler(self, request, *args, **kwargs)
            except Exception as exc:  # a refusal becomes its problem response; a bug still raises (500, rolled back)
                response = self.handle_exception(exc)
            answer.status = response.status_code
            answer.content_type = response.content_type or "application/json"  # handlers answer with DRF Responses
            answer.body = JSONRenderer().render(response.data).decode()
            answer.save(update_fields=["status", "content_type", "body"])
            return response

    return wrapped
