"""Settings of the processes the fault tests start (worker, beat, a person's process): the
product's own settings, with a sweep batch the test may make small to catch a sweep midway."""

import os

from config.settings import *  # noqa: F403

SAMPLES_SWEEP_BATCH = int(os.environ.get("DAIHUO_TEST_SWEEP_BATCH", "100"))
