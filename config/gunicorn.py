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


# #23: the pages gunicorn writes itself (a worker killed at --timeout mid-request, a request
# line too long, a malformed request) in the product's language, never gunicorn's English
# "Internal Server Error". Nothing of the request is echoed. gunicorn calls util.write_error
# by its module name, so replacing it here (the master, before workers fork) covers them all.
_PAGES = {
    400: ("请求无法处理", "请求的格式不正确，请返回上一页重试。"),
    414: ("网址太长", "请求的网址太长，请返回上一页重试。"),
    500: ("出错了", "已记录此错误，请稍后再试。如果您刚提交了操作，请先刷新页面查看是否已完成，再决定是否重新提交。"),
}


def _write_error(sock, status_int, reason, mesg):
    from gunicorn import util

    title, text = _PAGES.get(status_int) or _PAGES[500 if status_int >= 500 else 400]
    body = (
        '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} · 带货合规台</title></head>"
        f'<body style="font-family:sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem">'
        f'<h1 style="font-size:1.25rem">{title}</h1><p>{text} <a href="/">返回工作台</a></p></body></html>'
    ).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin1")
    util.write_nonblock(sock, head + body)


def _chinese_error_pages() -> None:
    from gunicorn import util

    util.write_error = _write_error


_chinese_error_pages()
