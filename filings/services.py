"""Every write of the filings domain (报备). Keyword-only, atomic, the only callers of
Filing transitions (through core.fsm.apply_transition, so django-fsm-log records who,
when, from, to and why)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from core.fsm import apply_transition, stale_message
from core.notifications import notify, platform_text
from core.uploads import DOCUMENTS, KINDS, validate_upload
from filings.models import Filing, FilingReason, PKDeclaration, QualificationDocument, Reason
from filings.timing import attach_deadlines
from shops import teams
from shops.models import Creator, LiveCartItem, LiveSession, Merchant, Product
from shops.services import cart_remove

# F5: shown exactly (RULES.md quotes it); the names of the creators follow it.
NON_SPECIFIC_CREATOR_MESSAGE = "存在不符合要求主播"

# F12: the platform's formal-check notice, on the submit page and the approval page.
FORMAL_CHECK_NOTICE = gettext_lazy(
    "The platform's review of filed products is a formal check only (仅限于形式审核): it guarantees "
    "nothing about approved products. Merchants and creators choose products carefully and answer for "
    "them; disputes between them are theirs to settle. Where filed information proves untrue, the "
    "platform acts under its rules and may revoke the approval."
)


def _merchant_url(filing: Filing) -> str:
    return reverse("filings:merchant_detail", args=[filing.pk])


def _creator_url() -> str:
    return reverse("filings:creator_list")


# ---------------------------------------------------------------------------------------
# Opening filings: the scenarios (F4, F5, F6) and the edit (F8)


def filing_open(*, product: Product, creator: Creator, reason: str, by=None, session: LiveSession | None = None) -> Filing:
    """Open the filing of `product` with `creator`, or add `reason` to the one that exists
    (F3: one filing per product and linked creator, reasons accumulate, never duplicate)."""
    with transaction.atomic():
        filing = Filing.objects.select_for_update().filter(product=product, creator=creator).first()
        created = False
        if filing is None:
            try:
                with transaction.atomic():
                    filing = Filing.objects.create(product=product, creator=creator, session=session)
                    created = True
            except IntegrityError:  # another request opened it a moment ago
                filing = Filing.objects.select_for_update().get(product=product, creator=creator)
        if session is not None and filing.session_id != session.pk:
            filing.session = session
            filing.save(update_fields=["session", "updated_at"])
        FilingReason.objects.get_or_create(filing=filing, code=reason)
        if created:
            _notify_new_task(filing, reason)
        return filing


def _notify_new_task(filing: Filing, reason: str) -> None:
    product = filing.product
    reason_label = dict(Reason.choices)[reason]
    notify(
        kind="filing", user=product.shop.merchant.user,
        title=platform_text(lambda: _("Filing needed: %(product)s") % {"product": product.title}),
        body=platform_text(
            lambda: _("Reason: %(reason)s. Linked creator: %(creator)s. Submit the qualifications in qualification management.")
            % {"reason": reason_label, "creator": filing.creator.display_name}
        ),
        url=_merchant_url(filing),
    )
    if reason == Reason.DISTRIBUTION:
        # F6: the creator sees the product as pending in their on-sale list.
        notify(
            kind="filing", user=filing.creator.user,
            title=platform_text(lambda: _("Filing pending: %(product)s") % {"product": product.title}),
            body=platform_text(lambda: _("The goods owner has been asked to submit the qualifications. Until the filing is approved the product cannot go into your live cart.")),
            url=_creator_url(),
        )


def filings_for_created_product(*, product: Product, by=None) -> Filing | None:
    """F4: a product created in a shop whose official account is a specific creator."""
    creator = Creator.objects.filter(bound_shop_id=product.shop_id, is_specific=True).first()
    if creator is None:
        return None
    return filing_open(product=product, creator=creator, reason=Reason.SELF_BUILT, by=by)


def filings_for_new_specific_creator(*, creator: Creator, by=None) -> list[Filing]:
    """F4 (ours): when an account becomes specific, its shop's products on sale need filings."""
    if creator.bound_shop_id is None:
        return []
    products = Product.objects.filter(shop_id=creator.bound_shop_id, sale_status=Product.SaleStatus.ON_SALE).select_related("shop__merchant__user")
    return [filing_open(product=p, creator=creator, reason=Reason.SELF_BUILT, by=by) for p in products]


def filing_for_taken_up_product(*, creator: Creator, product: Product, by=None) -> Filing | None:
    """F6: a specific creator puts another merchant's alliance product on sale (showcase,
    cart, video); its own shop's product is the self-built case (F4)."""
    if not creator.is_specific:
        return None
    own = creator.bound_shop_id is not None and product.shop_id == creator.bound_shop_id
    return filing_open(product=product, creator=creator, reason=Reason.SELF_BUILT if own else Reason.DISTRIBUTION, by=by)


def _edited_labels(fields: Iterable[str]) -> str:
    """F8's history names the edited fields as the merchant's form does (标题、属性), not by
    their column names."""
    labels = []
    for name in fields:
        field = Product._meta.get_field(name)
        labels.append(str(field.related_model._meta.verbose_name_plural if field.is_relation and field.one_to_many else field.verbose_name))
    return "、".join(labels)  # rendered inside platform_text: the history is in the platform language


def filings_reopen_for_edit(*, product: Product, changed_fields: Iterable[str], by=None) -> list[Filing]:
    """F8: an edit of a watched field puts each filing of the product back to pending and
    adds the reason `product_edit`. Other edits (price, stock) change nothing."""
    watched = sorted(set(changed_fields) & set(Product.FILING_WATCHED_FIELDS))
    if not watched:
        return []
    reopened = []
    with transaction.atomic():
        for filing in Filing.objects.select_for_update(of=("self",)).filter(product=product).select_related("creator__user", "product__shop__merchant__user"):
            apply_transition(filing, "reopen", by=by, description=platform_text(lambda: _("Product edited: %(fields)s") % {"fields": _edited_labels(watched)}))
            FilingReason.objects.get_or_create(filing=filing, code=Reason.PRODUCT_EDIT)
            reopened.append(filing)
            notify(
                kind="filing", user=product.shop.merchant.user,
                title=platform_text(lambda: _("Submit again: %(product)s was edited") % {"product": product.title}),
                body=platform_text(lambda: _("Editing the product put its filing with %(creator)s back to pending. Submit the qualifications again.") % {"creator": filing.creator.display_name}),
                url=_merchant_url(filing),
            )
    return reopened


def pk_declare(*, merchant: Merchant, creators: list[Creator], products: list[Product], session: LiveSession, by, reason: str = Reason.PK) -> PKDeclaration:
    """F5 主动申报: declare products for a PK with specific creator(s).

    If any linked creator is not a specific creator the whole declaration is refused with
    「存在不符合要求主播」 naming them, and nothing is created."""
    teams.check_acts_for(by, merchant, teams.FILINGS)  # T1
    if not creators:
        raise ValidationError({"creators": _("Link at least one PK creator.")})
    if not products:
        raise ValidationError({"products": _("Pick at least one product.")})
    not_specific = [c for c in creators if not c.is_specific]
    if not_specific:
        names = "、".join(c.display_name for c in not_specific)
        raise ValidationError({"creators": f"{NON_SPECIFIC_CREATOR_MESSAGE}：{names}"})
    foreign = [p for p in products if p.shop.merchant_id != merchant.pk]
    if foreign:
        raise ValidationError({"products": _("You can only declare your own products.")})
    if session.status == LiveSession.Status.ENDED:
        raise ValidationError({"session": _("This live session has ended.")})
    sides = [session, *session.pk_sessions()]
    if len(sides) < 2:
        raise ValidationError({"session": _("This live session is not a PK.")})
    side_creators = {s.creator_id for s in sides}
    outside = [c for c in creators if c.pk not in side_creators]
    if outside:
        raise ValidationError({"session": _("%(creators)s is not in this PK.") % {"creators": "、".join(c.display_name for c in outside)}})

    with transaction.atomic():
        declaration = PKDeclaration.objects.create(merchant=merchant, reason=reason, session=session, declared_by=by)
        declaration.creators.set(creators)
        declaration.products.set(products)
        for product in products:
            for creator in creators:
                filing_open(product=product, creator=creator, reason=reason, by=by, session=session)
        _tell_the_other_side(declaration, sides, creators)
    return declaration


def _tell_the_other_side(declaration: PKDeclaration, sides: list[LiveSession], creators: list[Creator]) -> None:
    """F5 (ours): merchants on the other side of the PK are told their products for it need
    filings too: owners of products in the PK carts and the shops of official accounts in it."""
    merchant_ids = set(
        LiveCartItem.objects.filter(session__in=sides, removed_at__isnull=True).values_list("product__shop__merchant_id", flat=True)
    )
    merchant_ids |= {s.creator.bound_shop.merchant_id for s in sides if s.creator.bound_shop_id}
    merchant_ids.discard(declaration.merchant_id)
    names = "、".join(c.display_name for c in creators)
    for merchant in Merchant.objects.filter(pk__in=merchant_ids).select_related("user"):
        notify(
            kind="filing", user=merchant.user,
            title=platform_text(lambda: _("PK with a specific creator: your products need filings too")),
            body=platform_text(
                lambda: _("The live session “%(session)s” is a PK with %(creators)s. Declare the products you sell in it under qualification management before the latest date.")
                % {"session": declaration.session.title, "creators": names}
            ),
            url=reverse("filings:declare"),
            dedupe_key=f"filings-pk-{declaration.session_id}-{merchant.pk}-{'-'.join(str(c.pk) for c in creators)}",
        )


# ---------------------------------------------------------------------------------------
# The merchant: submit, withdraw


@dataclass(frozen=True)
class SubmitResult:
    filing: Filing
    warning: str = ""


def required_document_types(filing: Filing):
    """F4 (ours): the category says which qualifications its products need."""
    return list(filing.product.category.required_documents.all())


def filing_submit(*, filing: Filing, merchant: Merchant, by, uploads: dict[int, object]) -> SubmitResult:
    """Submit the qualifications (资质) → under review. `uploads` maps a document type id to
    an uploaded file. A type already on file may be left out; a category that asks for
    nothing is submitted with none (F4)."""
    with transaction.atomic():
        filing = Filing.objects.select_for_update(of=("self",)).select_related("product__category", "creator", "session").get(pk=filing.pk)
        if filing.product.shop.merchant_id != merchant.pk:
            raise PermissionDenied
        teams.check_acts_for(by, merchant, teams.FILINGS, shop_id=filing.product.shop_id)  # T1
        required = required_document_types(filing)
        on_file = set(filing.documents.values_list("doc_type_id", flat=True))
        errors: dict[str, list[str]] = {}
        checked = []
        for doc_type in required:
            upload = uploads.get(doc_type.pk)
            if upload is None:
                if doc_type.pk not in on_file:
                    errors.setdefault(f"doc_{doc_type.pk}", []).append(_("Upload this document."))
                continue
            original_name = str(getattr(upload, "name", ""))[:200]
            try:
                ext = validate_upload(upload, DOCUMENTS)
            except ValidationError as exc:
                errors.setdefault(f"doc_{doc_type.pk}", []).extend(exc.messages)
                continue
            checked.append((doc_type, upload, ext, original_name))
        if errors:
            raise ValidationError(errors)
        if not can_proceed(filing.submit):
            # e.g. submitted in another tab. Checked before any document is stored:
            # apply_transition would refuse too, but only after the files were written.
            raise ValidationError(stale_message(filing))
        for doc_type, upload, ext, original_name in checked:
            doc = QualificationDocument(
                filing=filing, doc_type=doc_type, original_name=original_name,
                content_type=KINDS[ext].mime, size=upload.size, uploaded_by=by,
            )
            upload.seek(0)
            doc.file.save(upload.name, upload, save=False)  # <random>.<sniffed ext>
            doc.save()
        apply_transition(filing, "submit", by=by)
        return SubmitResult(filing=filing, warning=_late_warning(filing))


def _late_warning(filing: Filing) -> str:
    """F9 (ours): a late submission is accepted; the warning names the latest date it missed."""
    attach_deadlines([filing])
    deadline = filing.deadline
    if deadline is None or not deadline.late:
        return ""
    message = _(
        "Submitted after %(date)s, the latest date for the live session “%(session)s” on %(start)s: "
        "this filing will not count for that session, only for later ones."
    ) % {
        "date": deadline.latest.date.isoformat(),
        "session": deadline.session.title,
        "start": timezone.localtime(deadline.session.scheduled_start).strftime("%Y-%m-%d %H:%M"),
    }
    if deadline.latest.estimated:
        message += " " + deadline.latest.estimate_note
    return message


def filing_withdraw(*, filing: Filing, merchant: Merchant, by) -> Filing:
    """F7: withdraw a filing under review; it goes back to pending for merchant and creator."""
    with transaction.atomic():
        filing = Filing.objects.select_for_update(of=("self",)).select_related("product__shop", "creator__user").get(pk=filing.pk)
        if filing.product.shop.merchant_id != merchant.pk:
            raise PermissionDenied
        teams.check_acts_for(by, merchant, teams.FILINGS, shop_id=filing.product.shop_id)  # T1
        apply_transition(filing, "withdraw", by=by, description=platform_text(lambda: _("Withdrawn by the merchant")))
    return filing


# ---------------------------------------------------------------------------------------
# The reviewer: approve, not approve, revoke (F2, F12)


def _decide(filing: Filing, transition: str, *, by, reason: str, reason_required: bool) -> Filing:
    if by is None or not by.has_perm("filings.review_filing"):
        raise PermissionDenied(_("Only platform reviewers may review filings."))
    reason = (reason or "").strip()
    if reason_required and not reason:
        raise ValidationError({"reason": _("Give the reason: the merchant and the creator will see it.")})
    # The row lock makes two reviewers acting at once take turns: the second sees the new
    # state and gets apply_transition's "no longer possible" message.
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    return apply_transition(filing, transition, by=by, description=reason)


def _notify_outcome(filing: Filing, title_func, body_func) -> None:
    filing = Filing.objects.select_related("product__shop__merchant__user", "creator__user").get(pk=filing.pk)
    notify(kind="filing", user=filing.product.shop.merchant.user, title=platform_text(title_func, filing), body=platform_text(body_func, filing), url=_merchant_url(filing))
    notify(kind="filing", user=filing.creator.user, title=platform_text(title_func, filing), body=platform_text(body_func, filing), url=_creator_url())


def filing_approve(*, filing: Filing, by, reason: str = "") -> Filing:
    with transaction.atomic():
        filing = _decide(filing, "approve", by=by, reason=reason, reason_required=False)
        _notify_outcome(
            filing,
            lambda f: _("Filing approved: %(product)s") % {"product": f.product.title},
            lambda f: _("Approved for selling with %(creator)s. %(notice)s") % {"creator": f.creator.display_name, "notice": FORMAL_CHECK_NOTICE},
        )
    return filing


def filing_reject(*, filing: Filing, by, reason: str) -> Filing:
    with transaction.atomic():
        filing = _decide(filing, "reject", by=by, reason=reason, reason_required=True)
        _notify_outcome(
            filing,
            lambda f: _("Filing not approved: %(product)s") % {"product": f.product.title},
            lambda f: _("Reason: %(reason)s. Correct the qualifications and submit again.") % {"reason": f.review_reason},
        )
    return filing


def sessions_needing_filing_with(creator: Creator):
    """Sessions not yet ended where a filing with `creator` is needed (F1): the creator's
    own, and every session in a PK with one of them, on either side."""
    own = list(LiveSession.objects.filter(creator=creator).exclude(status=LiveSession.Status.ENDED).values_list("id", "pk_partner_id"))
    own_ids = [sid for sid, _ in own]
    partner_ids = [pid for _, pid in own if pid]
    return LiveSession.objects.exclude(status=LiveSession.Status.ENDED).filter(
        Q(id__in=own_ids) | Q(pk_partner_id__in=own_ids) | Q(id__in=partner_ids)
    )


def filing_revoke(*, filing: Filing, by, reason: str) -> Filing:
    """F12 (ours): filed facts proved untrue: the approval is revoked with a reason, the filing
    is not approved again, and the product leaves the carts of sessions not yet ended."""
    with transaction.atomic():
        filing = _decide(filing, "revoke", by=by, reason=reason, reason_required=True)
        items = LiveCartItem.objects.filter(
            product_id=filing.product_id, removed_at__isnull=True, session__in=sessions_needing_filing_with(filing.creator)
        ).select_related("session__creator__user")
        for item in items:
            cart_remove(item=item, by=by)
            if item.session.creator_id != filing.creator_id:
                notify(
                    kind="filing", user=item.session.creator.user,
                    title=platform_text(lambda: _("Removed from your cart: %(product)s") % {"product": filing.product.title}),
                    body=platform_text(lambda: _("Its filing approval was revoked by the platform.")),
                )
        _notify_outcome(
            filing,
            lambda f: _("Filing approval revoked: %(product)s") % {"product": f.product.title},
            lambda f: _("Reason: %(reason)s. The product has left the carts of live sessions that have not ended.") % {"reason": f.review_reason},
        )
    return filing
