"""Settings of the processes the fault tests start (worker, beat, a person's process): the
product's own settings, with a sweep batch the test may make small to catch a sweep midway."""

import os

from config.settings import *  # noqa: F403

SAMPLES_SWEEP_BATCH = int(os.environ.get("DAIHUO_TEST_SWEEP_BATCH", "100"))

# The web process of the frozen-Redis fault test serves pages with debug off: static files by
# their plain names (no collectstatic manifest in a test run), webhooks to the test's local receiver.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WEBHOOKS_ALLOW_HTTP_HOSTS = ("127.0.0.1",)
# The test suite's users carry its fast MD5 hashes (config.settings_test): let the web process check them.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
