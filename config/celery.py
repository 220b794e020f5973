"""The Celery app and the one beat schedule of the product.

Each entry says which rule it runs. Sweeps are idempotent: running one twice, or two
at once, moves each due row once.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("daihuo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

EVERY_MINUTE = 60.0

app.conf.beat_schedule = {
    # Domain sweeps are added here, one entry per rule they run.
    # Notifications: e-mails whose hand-off failed at commit time (broker down) go out here.
    "pending-notification-emails": {"task": "shops.tasks.send_pending_notification_emails", "schedule": EVERY_MINUTE},
    # D2/D4: scheduled removals from the alliance happen at their time (once, even if run twice).
    "alliance-removals": {"task": "shops.tasks.alliance_removals_sweep", "schedule": EVERY_MINUTE},
}
