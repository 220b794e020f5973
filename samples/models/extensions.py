"""延期申请 (V7): the one extension a creator may ask for to start promoting a sample."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.fsm import logged


class ExtensionRequest(models.Model):
    """延期申请 (V7): a creator asks once, with a reason, for more time to start promoting a
    received sample. The merchant may refuse it until `refuse_by` (48 h); at that mark the
    sweep grants it and the sample's `fulfil_by` moves by `extra` (7 days)."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Awaiting the merchant")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        # The sample request closed (fulfilled, cancelled) before the merchant's 48 h ran out.
        LAPSED = "lapsed", _("No longer needed")

    sample = models.OneToOneField(
        "samples.SampleRequest", on_delete=models.PROTECT, related_name="extension", verbose_name=_("sample request")
    )  # V7: once per request
    state = FSMField(_("state"), default=State.REQUESTED, choices=State.choices, protected=True)
    reason = models.CharField(_("reason"), max_length=300)
    extra = models.DurationField(_("extra time"))  # the rule's value when asked
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    refuse_by = models.DateTimeField(_("merchant may refuse until"))  # V7: 48 h; granted at this mark
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refuse_reason = models.CharField(_("reason for refusing"), max_length=300, blank=True)
    fulfil_by_before = models.DateTimeField(_("promote by, before"))
    fulfil_by_after = models.DateTimeField(_("promote by, after"), null=True, blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at", "-id"]
        indexes = [
            # V7: the grant sweep reads the requests still waiting by this range.
            models.Index(fields=["refuse_by"], condition=Q(state="requested"), name="sample_ext_wait_refuse"),
        ]

    def __str__(self) -> str:
        return f"#{self.sample_id} +{self.extra}"

    def refuse_clock_running(self) -> bool:
        return timezone.now() < self.refuse_by

    @logged
    @transition(field=state, source=State.REQUESTED, target=State.GRANTED)
    def grant(self, **kwargs) -> None:
        """V7: silence grants it at refuse_by (the sweep); the merchant may also agree earlier."""

    @logged
    @transition(field=state, source=State.REQUESTED, target=State.REFUSED, conditions=[refuse_clock_running])
    def refuse(self, **kwargs) -> None:
        """V7: the merchant refuses within the 48 h."""

    @logged
    @transition(field=state, source=State.REQUESTED, target=State.LAPSED)
    def lapse(self, **kwargs) -> None:
        """The sample request closed before a decision: nothing left to extend."""
