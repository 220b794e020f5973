"""One middleware at the top of the stack: gives each request an id (the caller's
X-Request-ID when it is sane, else a new one), logs one JSON line when it is answered and
counts it in the metrics. The query string is never logged (it can carry a viewer's token)."""

from __future__ import annotations

import logging
import re
import time

from ops import logging as oplog
from ops.metrics import LATENCY, REQUESTS

log = logging.getLogger("daihuo.request")
SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if SANE_ID.match(incoming) else oplog.new_id()
        token = oplog.request_id.set(rid)
        request.request_id = rid
        started = time.monotonic()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = rid
            return response
        finally:
            elapsed = time.monotonic() - started
            match = getattr(request, "resolver_match", None)
            view = (match.view_name or match._func_path) if match else "<unresolved>"
            REQUESTS.labels(view=view, method=request.method, status=str(status)).inc()
            LATENCY.labels(view=view).observe(elapsed)
            user = getattr(request, "user", None)
            oplog.event(
                log, "request", method=request.method, path=request.path, view=view, status=status,
                duration_ms=round(elapsed * 1000, 1),
                user_id=user.pk if user is not None and user.is_authenticated else None,
            )
            oplog.request_id.reset(token)
