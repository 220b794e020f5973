"""Settings of a benchmark run (web server, worker and commands alike): the test settings
(throwaway secrets, local e-mail), with Celery really going through the broker, as in
production, and the one-query baseline view switched on."""

from config.settings_test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
ROOT_URLCONF = "bench.urls"
DEBUG = False
