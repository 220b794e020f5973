"""The product's URLs plus the benchmark's one-query baseline (bench/settings.py uses this)."""

from django.urls import path

from bench.views import minimal
from config.urls import urlpatterns as product_urls

urlpatterns = [path("bench/minimal/", minimal), *product_urls]
