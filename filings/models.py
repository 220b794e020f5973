"""报备: filings of products with specific creators (RULES.md section F).

A Filing links one product to one specific creator (the linked creator, shown as
"nickname + ID", F3) and carries the reasons it was opened for (进审原因), one row per
reason (FilingReason, unique per filing: reasons accumulate, never duplicate). Its state
is a django-fsm field changed only by filings.services through core.fsm.apply_transition,
so django-fsm-log records who, when, from, to and why for every move.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.fsm import logged
from filings.storage import DOCUMENTS, private_storage
from shops.models import Creator, LiveSession, Merchant, Product, QualificationDocumentType


class Reason(models.TextChoices):
    """进审原因 (F3)."""

    SELF_BUILT = "self_built", _("Specific creator's self-built product (特定主播自建商品)")
    PK = "pk", _("PK selling with a specific creator (特定主播PK带货)")
    DISTRIBUTION = "distribution", _("Distribution by a specific creator (特定主播分销带货)")
    PRODUCT_EDIT = "product_edit", _("Product edited (商品编辑)")


def _is_reviewer(instance, user) -> bool:
    return bool(user and user.is_active and user.is_staff and user.has_perm("filings.review_filing"))


def _decides_appeals(instance, user) -> bool:
    return bool(user and user.is_active and user.is_staff and user.has_perm("filings.decide_filingappeal"))


class Filing(ConcurrentTransitionMixin, models.Model):
    """报备: one product filed with one specific creator (F2–F9)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending (待处理)")
        UNDER_REVIEW = "under_review", _("Under review (审核中)")
        APPROVED = "approved", _("Approved (审核通过)")
        NOT_APPROVED = "not_approved", _("Not approved (审核未通过)")

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="filings", verbose_name=_("product"))
    creator = models.ForeignKey(
        Creator, on_delete=models.PROTECT, related_name="filings", verbose_name=_("linked creator")
    )
    # The PK session a declaration named (F5); the task list shows its latest date (F9).
    session = models.ForeignKey(
        LiveSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("live session")
    )
    state = FSMField(_("state"), default=State.PENDING, choices=State.choices, protected=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("decided by"),
    )
    review_reason = models.TextField(_("reviewer's reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-updated_at", "-id"]
        permissions = [("review_filing", _("Can review filings (approve, not approve, revoke)"))]
        constraints = [
            # One filing per product and linked creator: every scenario (F4–F6, F8) adds its
            # reason to this row instead of opening another (F3), so "open" is every row.
            models.UniqueConstraint(fields=["product", "creator"], name="one_filing_per_product_creator"),
            models.CheckConstraint(
                condition=~Q(state="under_review") | Q(submitted_at__isnull=False),
                name="filing_under_review_has_submitted_at",
            ),
        ]
        indexes = [
            # The review queue: filings waiting, oldest submission first.
            models.Index(fields=["submitted_at"], condition=Q(state="under_review"), name="filing_review_queue"),
            # The admin's list (waiting time, submitted first): read in index order, not sorted.
            models.Index(fields=["submitted_at", "id"], name="filing_submitted_order"),
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.creator.display_name}"

    @property
    def reason_codes(self) -> list[str]:
        return [r.code for r in self.reason_rows.all()]

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(Reason.choices)
        return [str(labels.get(code, code)) for code in self.reason_codes]

    # -- transitions: what may happen. The services say what else happens. -------------

    @logged
    @transition(field=state, source=[State.PENDING, State.NOT_APPROVED], target=State.UNDER_REVIEW)
    def submit(self, **kwargs) -> None:
        """F4–F6: the merchant submits the qualifications; F2 (ours): again after a refusal."""
        self.submitted_at = timezone.now()
        self.decided_at = None
        self.decided_by = None

    @logged
    @transition(field=state, source=State.UNDER_REVIEW, target=State.PENDING)
    def withdraw(self, **kwargs) -> None:
        """F7: the merchant withdraws a filing under review; it needs a new submission."""
        self.submitted_at = None

    @logged
    @transition(field=state, source=State.UNDER_REVIEW, target=State.APPROVED, permission=_is_reviewer)
    def approve(self, **kwargs) -> None:
        """F2: 审核通过. The review is a formal check only (F12)."""
        self.decided_at = timezone.now()
        self.decided_by = kwargs.get("by")
        self.review_reason = kwargs.get("description") or ""

    @logged
    @transition(field=state, source=State.UNDER_REVIEW, target=State.NOT_APPROVED, permission=_is_reviewer)
    def reject(self, **kwargs) -> None:
        """F2: 审核未通过, with the reviewer's reason."""
        self.decided_at = timezone.now()
        self.decided_by = kwargs.get("by")
        self.review_reason = kwargs.get("description") or ""

    @logged
    @transition(field=state, source=State.APPROVED, target=State.NOT_APPROVED, permission=_is_reviewer)
    def revoke(self, **kwargs) -> None:
        """F12 (ours): filed facts proved untrue; the approval is revoked with a reason."""
        self.decided_at = timezone.now()
        self.decided_by = kwargs.get("by")
        self.review_reason = kwargs.get("description") or ""

    @logged
    @transition(field=state, source=State.NOT_APPROVED, target=State.APPROVED, permission=_decides_appeals)
    def approve_on_appeal(self, **kwargs) -> None:
        """AP3: an upheld appeal approves the filing (审核通过), recorded as decided on appeal
        (this transition's name in the history, the appeal beside it)."""
        self.decided_at = timezone.now()
        self.decided_by = kwargs.get("by")
        self.review_reason = kwargs.get("description") or ""

    @logged
    @transition(field=state, source="*", target=State.PENDING)
    def reopen(self, **kwargs) -> None:
        """F8: a watched edit of the product puts the filing back to pending from any state."""
        self.submitted_at = None


class FilingReason(models.Model):
    """进审原因 of one filing (F3): at most one row per reason, so reasons never duplicate."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="reason_rows", verbose_name=_("filing"))
    code = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("filing reason")
        verbose_name_plural = _("filing reasons")
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["filing", "code"], name="filing_reason_once")]

    def __str__(self) -> str:
        return self.get_code_display()


class QualificationDocument(models.Model):
    """资质: a document the merchant uploaded for a filing. Stored privately under a random
    name; served only to the owning merchant and to reviewers."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="documents", verbose_name=_("filing"))
    doc_type = models.ForeignKey(
        QualificationDocumentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("document type"),
    )
    file = models.FileField(_("file"), upload_to=DOCUMENTS, storage=private_storage, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("qualification document")
        verbose_name_plural = _("qualification documents")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name


class PKDeclaration(models.Model):
    """主动申报 (F5): a merchant declares products for a PK with specific creator(s)."""

    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="pk_declarations", verbose_name=_("merchant"))
    reason = models.CharField(_("reason"), max_length=20, choices=[(Reason.PK.value, Reason.PK.label)], default=Reason.PK)
    session = models.ForeignKey(LiveSession, on_delete=models.PROTECT, related_name="+", verbose_name=_("live session"))
    creators = models.ManyToManyField(Creator, related_name="+", verbose_name=_("PK creators"))
    products = models.ManyToManyField(Product, related_name="+", verbose_name=_("products"))
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("declared by"))
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("PK declaration")
        verbose_name_plural = _("PK declarations")
        ordering = ["-declared_at", "-id"]

    def __str__(self) -> str:
        return f"{self.merchant} · {self.session}"


class LotteryProduct(Product):
    """0元购 (F11): zero-price lottery products, as the reviewers' offline-approval queue."""

    class Meta:
        proxy = True
        verbose_name = _("zero-price lottery product (0元购)")
        verbose_name_plural = _("zero-price lottery products (0元购)")



# F9: the working-day calendar platform staff keep; its models live by their concept.
# AP1–AP4: the merchant's appeal against a rejection.
from filings.appeals.models import FilingAppeal, FilingAppealEvidence  # noqa: E402, F401
from filings.workdays.models import CalendarChange, CalendarDay, CalendarYear, DayKind, DeadlineShift  # noqa: E402, F401
