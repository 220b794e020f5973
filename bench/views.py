"""The baseline of the page benchmark: a view that runs exactly one query."""

from django.db import connection
from django.http import HttpRequest, HttpResponse


def minimal(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")
