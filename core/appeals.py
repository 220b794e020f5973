"""申诉 (RULES.md AP1–AP5): what an appeal is, whatever it appeals.

Each domain keeps its own appeal model (samples.SampleAppeal against a breach,
filings.FilingAppeal against a rejection) on the abstract base here, and its own services;
this kernel holds what they share: the states and transitions (AP2), the columns every
appeal records (who, when, why, the appealed decision and its reviewer, the decision on
the appeal), the evidence files (AP1), the appeal window and the decision due date, and
the refusals, each naming its rule.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.fsm import logged
from core.rules import Rule, rules
from core.uploads import DOCUMENTS, KINDS, validate_upload
from core.workdays import end_of_working_days_after

# AP1, AP2: the numbers, registered by each domain that takes appeals (the same rules,
# registered twice, are one: core.rules.register accepts an identical declaration).
RULES = [
    Rule("appeal_window", 7, "days", "AP1", _("A breach or a filing rejection may be appealed within"), maximum=30),
    Rule("appeal_evidence_files", 3, "count", "AP1", _("Evidence files an appeal may carry, at most"), maximum=10),
    Rule("appeal_decide_working_days", 3, "working_days", "AP2", _("Reviewers decide an appeal within (working days)"), maximum=30),
]

# The refusals (AP1–AP4), each naming its rule; tests compare against these.
REASON_REQUIRED = _("Give the reason for your appeal (AP1).")
DECISION_REASON_REQUIRED = _("Give the reason for the decision: the appellant will see it (AP2).")
TOO_LATE = _("The appeal window has closed: a decision may be appealed until %(until)s (AP1).")
ONCE = _("This decision has already been appealed: each decision may be appealed once (AP1, AP4).")
TOO_MANY_FILES = _("At most %(n)s evidence files (AP1).")
FOUR_EYES = _("You made the decision under appeal: another reviewer must decide this appeal (AP2, four eyes).")
REVIEWERS_ONLY = _("Only platform reviewers may decide appeals (AP2).")
NOT_APPELLANT = _("Only the appellant may withdraw this appeal (AP2).")


def appeal_window_ends(decided_at: datetime) -> datetime:
    """AP1: in time while now < this instant (decided_at + the window)."""
    return decided_at + rules.duration("appeal_window")


def decision_due(filed_at: datetime) -> datetime:
    """AP2: the end of the 3rd working day after the filing day (F9's calendar)."""
    return end_of_working_days_after(filed_at, rules.count("appeal_decide_working_days"))


def check_in_window(decided_at: datetime | None, now: datetime) -> None:
    if decided_at is None:
        return
    until = appeal_window_ends(decided_at)
    if now >= until:
        raise ValidationError(TOO_LATE % {"until": timezone.localtime(until).strftime("%Y-%m-%d %H:%M")})


def clean_reason(reason: str, message=REASON_REQUIRED) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [message]})
    return reason[:1000]


def check_evidence(files) -> list[tuple[object, str, str]]:
    """AP1: at most N files, each an image or a PDF typed from its bytes (core.uploads).
    Returns (upload, sniffed ext, original name) for each."""
    files = [f for f in (files or []) if f]
    limit = rules.count("appeal_evidence_files")
    if len(files) > limit:
        raise ValidationError({"evidence": [TOO_MANY_FILES % {"n": limit}]})
    checked, errors = [], []
    for upload in files:
        original = str(getattr(upload, "name", ""))[:200]
        try:
            ext = validate_upload(upload, DOCUMENTS)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        checked.append((upload, ext, original))
    if errors:
        raise ValidationError({"evidence": errors})
    return checked


def store_evidence(appeal: models.Model, evidence_model: type[models.Model], checked, *, by) -> None:
    for upload, ext, original in checked:
        item = evidence_model(appeal=appeal, original_name=original, content_type=KINDS[ext].mime, size=upload.size, uploaded_by=by)
        upload.seek(0)
        item.file.save(upload.name, upload, save=False)  # <random>.<sniffed ext>
        item.save()


def check_decider(appeal: AppealBase, by, permission: str) -> None:
    """AP2: a platform reviewer, never the one whose decision is appealed (four eyes)."""
    if by is None or not by.is_active or not by.is_staff or not by.has_perm(permission):
        raise PermissionDenied(REVIEWERS_ONLY)
    if appeal.appealed_by_id is not None and appeal.appealed_by_id == by.pk:
        raise PermissionDenied(FOUR_EYES)


class AppealBase(models.Model):
    """申诉: an appeal against one decision (AP1–AP4). Concrete models add the appealed
    object, the evidence model and a `decide_<model>` permission."""

    class State(models.TextChoices):
        OPEN = "open", _("Open (待处理)")
        UPHELD = "upheld", _("Upheld (申诉成立)")
        DISMISSED = "dismissed", _("Dismissed (申诉驳回)")
        WITHDRAWN = "withdrawn", _("Withdrawn (已撤回)")

    state = FSMField(_("state"), default=State.OPEN, choices=State.choices, protected=True)
    reason = models.TextField(_("reason for the appeal"), max_length=1000)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by"))
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    decide_by = models.DateTimeField(_("decision due by"))  # AP2: 3 working days
    # The decision under appeal: when, and the reviewer who made it (None: a sweep or the system).
    appealed_at = models.DateTimeField(_("appealed decision made at"))
    appealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("appealed decision made by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def overdue(self) -> bool:
        """AP2: past its due date and still open (shown; nothing is decided automatically)."""
        return self.is_open and timezone.now() >= self.decide_by

    @property
    def time_left(self):
        return self.decide_by - timezone.now() if self.is_open else None

    @logged
    @transition(field="state", source=State.OPEN, target=State.UPHELD)
    def uphold(self, **kwargs) -> None:
        self._record_decision(kwargs)

    @logged
    @transition(field="state", source=State.OPEN, target=State.DISMISSED)
    def dismiss(self, **kwargs) -> None:
        self._record_decision(kwargs)

    @logged
    @transition(field="state", source=State.OPEN, target=State.WITHDRAWN)
    def withdraw(self, **kwargs) -> None:
        self.decided_at = timezone.now()

    def _record_decision(self, kwargs) -> None:
        self.decided_at = timezone.now()
        self.decided_by = kwargs.get("by")  # the reason: set by the service (the description may name a channel)


class EvidenceBase(models.Model):
    """An evidence file of an appeal (AP1): an image or PDF typed from its bytes, stored
    privately under a random name, served only to the parties and staff."""

    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name
