"""Webhooks out: merchants register HTTPS endpoints and pick events; each event is signed
(Standard Webhooks) and delivered after commit on Celery, retried with back-off (API5, API6),
parked after the last attempt and replayable. One delivery per event per endpoint."""
