"""Settings for the test suite: the real settings with test-only secrets and fast hashing."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from config.settings import *  # noqa: E402,F403

# One process, and the plain `pytest` of a fresh clone has no Redis: counters in memory.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="daihuo-media-")
FILINGS_PRIVATE_ROOT = tempfile.mkdtemp(prefix="daihuo-private-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
WHITENOISE_AUTOREFRESH = True
os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405  (defined by the star import)
WEBHOOKS_ALLOW_HTTP_HOSTS = ("127.0.0.1",)  # #14: the tests' local webhook receiver
WEBHOOKS_TIMEOUT_SECONDS = 3
