"""gunicorn's settings, the same wherever the web runs (Procfile, compose.yaml, systemd):
its own lines (start, worker boot, timeouts) in the app's log format, one JSON object a
line unless DJANGO_LOG_FORMAT=text; no access log (the app writes one line per request,
with its request id: ops.middleware)."""

import os
import time

# The app's time zone (settings.TIME_ZONE) from the start: Django sets TZ only when a worker
# loads the settings, so the master's own lines (start, worker boot) were in +0000 while
# the app's were in +0800.
os.environ["TZ"] = "Asia/Shanghai"
time.tzset()

_format = os.environ.get("DJANGO_LOG_FORMAT", "json")

accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "ops.logging.ContextFilter"}},
    "formatters": {
        "json": {"()": "ops.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": _format, "stream": "ext://sys.stderr"},
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "INFO", "propagate": False},
    },
    "root": {"level": "INFO", "handlers": []},
}
