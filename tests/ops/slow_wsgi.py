"""A WSGI application that answers too slowly, for the gunicorn timeout test (test_gunicorn_pages)."""

import time


def app(environ, start_response):
    time.sleep(60)  # gunicorn's --timeout of the test ends it long before
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"late"]
