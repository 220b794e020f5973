"""The date-bomb guard's clock for the processes a test starts (a Celery worker, a server):
`tests/clock_guard.py` puts this folder first on PYTHONPATH and the offset in the
environment, so a child process runs at the same moved instant as the test that started
it. Python imports `sitecustomize` at start-up by itself; without the variable this does
nothing."""

import os
from datetime import UTC

MOVED = False
_offset = os.environ.get("DAIHUO_TEST_CLOCK_OFFSET")
if _offset:
    from datetime import datetime, timedelta

    import time_machine

    time_machine.travel(datetime.now(UTC) + timedelta(seconds=float(_offset)), tick=True).start()
    MOVED = True
