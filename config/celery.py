"""The Celery app and the one beat schedule of the product.

Each entry says which rule it runs. Sweeps are idempotent: running one twice, or two
at once, moves each due row once.
"""

import os

from celery import Celery
from celery.schedules import crontab
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("daihuo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Three queues so that sweeps never wait behind e-mail (or, later, webhooks). A worker
# started without -Q consumes all three (`make run`, tests); a fleet gives the sweeps
# workers of their own (`-Q sweeps`), see docs/deploy.md.
app.conf.task_queues = (Queue("default"), Queue("sweeps"), Queue("email"))
app.conf.task_default_queue = "default"
app.conf.task_routes = {
    # #23: the outbox relay runs beside the sweeps (short, every second), never behind e-mail.
    "core.tasks.relay_outbox": {"queue": "sweeps"},
    "core.tasks.prune_outbox": {"queue": "sweeps"},
    "core.tasks.send_notification_email": {"queue": "email"},
    "core.tasks.send_pending_notification_emails": {"queue": "email"},
    "core.tasks.send_notification_emails": {"queue": "email"},  # a sweep's batch of e-mails, one task
    "api.tasks.deliver_webhook": {"queue": "default"},  # #14: webhook attempts (network waits) stay off the sweeps
    "*.tasks.sweep_*": {"queue": "sweeps"},
    "*.tasks.*_sweep": {"queue": "sweeps"},
}

EVERY_MINUTE = 60.0
# #23: how often the outbox relay hands waiting tasks (e-mails, webhook attempts) to the broker.
OUTBOX_EVERY = float(os.environ.get("DAIHUO_OUTBOX_SECONDS", 1.0))

# Samples sweeps: every minute in production; DAIHUO_SWEEP_SECONDS shortens it for the
# Celery integration test only.
SAMPLES_SWEEP_EVERY = float(os.environ.get("DAIHUO_SWEEP_SECONDS", EVERY_MINUTE))

app.conf.beat_schedule = {
    # Domain sweeps are added here, one entry per rule they run.
    # #23 (no request waits on the broker): tasks asked for by committed changes (e-mails, webhook
    # attempts) wait as outbox rows; this hands them to the broker. A tick older than a few
    # seconds is dropped (a backlog of ticks after an outage would relay nothing more).
    "outbox-relay": {"task": "core.tasks.relay_outbox", "schedule": OUTBOX_EVERY, "options": {"expires": 5 * OUTBOX_EVERY}},
    "outbox-prune": {"task": "core.tasks.prune_outbox", "schedule": 60 * EVERY_MINUTE},
    # Notifications: e-mails still not sent two minutes on (the mail server refused them) go out here.
    "pending-notification-emails": {"task": "core.tasks.send_pending_notification_emails", "schedule": EVERY_MINUTE},
    # D2/D4: scheduled removals from the alliance happen at their time (once, even if run twice).
    "alliance-removals": {"task": "shops.tasks.alliance_removals_sweep", "schedule": EVERY_MINUTE},
    # S4: sample requests not decided within 48 h are cancelled (expired).
    "samples-s4-expire-undecided": {"task": "samples.tasks.sweep_expire_undecided", "schedule": SAMPLES_SWEEP_EVERY},
    # S5: approved samples not shipped within 120 h are cancelled.
    "samples-s5-cancel-unshipped": {"task": "samples.tasks.sweep_cancel_unshipped", "schedule": SAMPLES_SWEEP_EVERY},
    # S6: receipt confirmed automatically 168 h after shipping.
    "samples-s6-auto-receive": {"task": "samples.tasks.sweep_auto_receive", "schedule": SAMPLES_SWEEP_EVERY},
    # S7: promotions that held (video 7 days, live 3 minutes + explanation) are fulfilled.
    "samples-s7-check-promotions": {"task": "samples.tasks.sweep_check_promotions", "schedule": SAMPLES_SWEEP_EVERY},
    # S7 (ours): no promotion started within 360 h of receipt → breached.
    "samples-s7-breach-unpromoted": {"task": "samples.tasks.sweep_breach_unpromoted", "schedule": SAMPLES_SWEEP_EVERY},
    # V6: reminders before the 48 h, 120 h (merchant) and 360 h (creator) deadlines.
    "samples-v6-reminders": {"task": "samples.tasks.sweep_reminders", "schedule": SAMPLES_SWEEP_EVERY},
    # V7: extensions the merchant did not refuse within 48 h are granted.
    "samples-v7-grant-extensions": {"task": "samples.tasks.sweep_grant_extensions", "schedule": SAMPLES_SWEEP_EVERY},
    # API5/API6 (#14): webhook retries whose back-off has run out, and deliveries the broker missed.
    "webhook-retries": {"task": "api.tasks.sweep_webhook_retries", "schedule": EVERY_MINUTE},
    # F9 (ours): October–December, while next year has no working-day calendar (entered or
    # packaged), platform staff are reminded; checked daily at 09:00, sent once per ISO week.
    "filings-f9-calendar-reminder": {
        "task": "filings.tasks.calendar_reminder",
        "schedule": crontab(minute=0, hour=9, month_of_year="10-12"),
    },
}

# A demo that stays alive (`make run` sets DAIHUO_DEMO=true): every DAIHUO_DEMO_EVERY seconds
# each domain tops up what the README's walk-throughs need (shops/, filings/ and
# samples/demo_activity.py). Never in production.
DEMO_ACTIVITY_TASKS = ["shops.tasks.demo_activity", "filings.tasks.demo_activity", "samples.tasks.demo_activity"]
if os.environ.get("DAIHUO_DEMO", "").lower() in ("1", "true", "yes", "on"):
    for task in DEMO_ACTIVITY_TASKS:
        app.conf.beat_schedule[f"demo-activity-{task.split('.')[0]}"] = {
            "task": task, "schedule": float(os.environ.get("DAIHUO_DEMO_EVERY", 180)),
        }
