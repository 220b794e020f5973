"""(c) of the sweep benchmark: the other common design, one Celery task per request,
scheduled with an ETA at its deadline, moving that one row when it fires."""

from celery import shared_task
from django.db import transaction

from core.fsm import apply_transition
from samples.models import SampleRequest
from samples.services.common import sweep_note, tell_both
from samples.services.sweeps import _closed_text, _expire_reason


@shared_task(ignore_result=True)
def expire_at_deadline(sample_id: int) -> bool:
    with transaction.atomic():
        sample = (
            SampleRequest.objects.select_for_update().select_related("product", "creator__user", "merchant__user")
            .filter(pk=sample_id, state=SampleRequest.State.REQUESTED).first()
        )
        if sample is None:
            return False
        reason = _expire_reason(sample)  # the product's own texts (samples.services.sweeps)
        sample.closed_at, sample.close_reason = sample.decide_by, reason
        apply_transition(sample, "expire", by=None, description=sweep_note("eta-task", lambda: reason))
        tell_both(sample, lambda: _closed_text(sample, reason))
    return True
