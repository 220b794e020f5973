"""The sweeps of the clocks (Celery beat, every minute; samples.tasks): S4 expire, S5 cancel,
S6 auto-receipt, S7 promotion check and breach, V7 extension grant.

Each selects due rows by its partial index, locks them with SKIP LOCKED (a row another
worker or a person holds is left for the next run), moves each row once inside its own
savepoint (a bad row is logged and skipped), and commits batch by batch: a sweep that dies
halfway leaves no row half-moved. One clock: the sweep's `now` selects the due rows and is
the instant the transitions' clock conditions compare against (SampleRequest.as_of).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.clocks import Clock, clock
from core.events import publish_transitions
from core.fsm import apply_transition
from core.fsm_batch import transition_batch, update_rows
from core.fsm_sql import SQL, Moves, Notice, claim_and_move, lit, local_time, sql_text, supports
from core.notifications import email_notifications, notify_many, platform_text
from samples import messages as msg
from samples.models import ExtensionRequest, SampleRequest
from samples.services import extensions, promotion
from samples.services.common import (
    creator_url,
    creator_user_id,
    describe,
    detail_url_template,
    message,
    messages_both,
    notification_body,
    product_title,
    sweep_note,
    sweep_note_template,
    tell,
    tell_both,
)
from samples.services.shipping import start_fulfil_clock
from shops.models import Creator, Merchant, Product, ShortVideo, VideoCartItem

logger = logging.getLogger(__name__)

State = SampleRequest.State


def batch_size() -> int:
    return getattr(settings, "SAMPLES_SWEEP_BATCH", 1000)


def set_based() -> bool:
    """The set-based path is the default; False runs every row through the per-row path
    (the equivalence test compares both)."""
    return getattr(settings, "SAMPLES_SWEEP_SET_BASED", True)


# A set-based mover: moves what it can of a locked batch at once, returns the rows it left.
BatchMove = Callable[[list[SampleRequest], datetime], tuple[int, list[SampleRequest]]]
# A one-statement mover (core.fsm_sql): claims and moves a batch of the due queryset at once.
SqlMove = Callable[[QuerySet[SampleRequest], datetime, int, str], Moves]


def _run_sweep(
    name: str,
    due: Callable[[datetime], QuerySet[SampleRequest]],
    move: Callable[[SampleRequest, datetime], bool],
    now: datetime | None = None,
    move_batch: BatchMove | None = None,
    move_sql: SqlMove | None = None,
) -> int:
    """Claim batches of due rows (one SELECT … FOR UPDATE SKIP LOCKED each) and move each
    batch set-based: in one statement with `move_sql` where the sweep has one, else with
    `move_batch`; rows they leave (a guard said no), and every row of a batch whose set path
    failed (rolled back whole), go through the per-row path `move`."""
    now = now or timezone.now()
    size = batch_size()
    moved = 0
    passed: list[int] = []  # rows that failed or still wait: not selected again in this run
    # Each batch starts where the last one ended on the deadline index: the rows moved before
    # leave dead entries at its front until vacuum, and a backlog of 100,000 would otherwise
    # step over all of them for every batch. (A row skipped as locked waits for the next run,
    # as SKIP LOCKED always left it.)
    order = due(now).query.order_by
    key = order[0] if order and "__" not in order[0] and not order[0].startswith("-") else None
    floor = None
    while True:
        with transaction.atomic():
            qs = due(now).exclude(pk__in=passed)
            if key and floor is not None:
                qs = qs.filter(**{f"{key}__gte": floor})
            if move_sql is not None and set_based():
                done = _sql_batch(name, qs, now, size, key, move_sql)
                if done is not None:
                    claimed, count, last_key, rows = done
                    moved += count
                    if key and last_key is not None:
                        floor = last_key
                    moved += _per_row(name, rows, now, move, passed)
                    if claimed < size:
                        return moved
                    continue
            batch = _claim(qs, size, light=move_batch is not None and set_based())
            if key and batch:
                floor = getattr(batch[-1], key)
            for sample in batch:
                sample.as_of = now  # one clock: the transitions' conditions read the sweep's now
            rows = batch
            if move_batch is not None and batch and set_based():
                try:
                    # One language switch for the batch's texts, not one per text.
                    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
                        count, rows = move_batch(batch, now)
                    moved += count
                except Exception:
                    logger.exception("samples sweep %s: set-based batch of %s rolled back; moving its rows one by one", name, len(batch))
                    rows = _claim(SampleRequest.objects.filter(pk__in=[s.pk for s in batch]), size)  # fresh copies
                    for sample in rows:
                        sample.as_of = now
            moved += _per_row(name, rows, now, move, passed)
        if len(batch) < size:
            return moved


def _per_row(name: str, rows: list[SampleRequest], now: datetime, move, passed: list[int]) -> int:
    """The per-row path: each row in its own savepoint; a row that fails or stays is passed."""
    moved = 0
    for sample in rows:
        sample.as_of = now
        try:
            with transaction.atomic():
                if move(sample, now):
                    moved += 1
                else:
                    passed.append(sample.pk)
        except Exception:
            logger.exception("samples sweep %s: request #%s skipped", name, sample.pk)
            passed.append(sample.pk)
    return moved


def _sql_batch(name: str, qs, now: datetime, size: int, key: str | None, move_sql: SqlMove):
    """One batch in one statement (core.fsm_sql), announced to the transition listeners and
    its e-mails handed over as one task, all in one savepoint. Returns (claimed, moved, the
    last deadline claimed, the rows it left for the per-row path, fresh and locked), or None
    when the statement failed (rolled back whole: the caller claims the batch again)."""
    try:
        with transaction.atomic():
            result = move_sql(qs, now, size, key)
            by_source: dict[str, list] = {}
            for pk, source in zip(result.moved, result.sources, strict=True):
                by_source.setdefault(source, []).append(pk)
            for source, pks in by_source.items():
                publish_transitions(SampleRequest, pks, name=result.transition, source=source, target=result.target)
            email_notifications(result.notifications)
    except Exception:
        logger.exception("samples sweep %s: one-statement batch rolled back; taking the general path", name)
        return None
    for pk in result.left:
        logger.info("samples sweep %s: request #%s left for the per-row path: not moved by the set statement", name, pk)
    rows = _claim(SampleRequest.objects.filter(pk__in=result.left).order_by("pk"), size) if result.left else []
    return result.claimed, len(result.moved), result.last_key, rows


def _claim(qs: QuerySet[SampleRequest], size: int, *, light: bool = False) -> list[SampleRequest]:
    """The batch's due rows, locked (SKIP LOCKED, one statement), with what the texts read.
    `light`: the set path needs only the users' ids, not the user rows."""
    qs = qs.select_for_update(skip_locked=True, of=("self",))
    if light:
        # Lock the batch's ids by the deadline index alone (no join: with 100,000 rows due the
        # planner would join them all before the LIMIT), then read what the texts need of
        # the locked rows: the related values annotated, not loaded as models.
        ids = list(qs.values_list("pk", flat=True)[:size])
        return list(
            SampleRequest.objects.filter(pk__in=ids).order_by(*qs.query.order_by, "pk").annotate(
                product_title=F("product__title"), creator_user_id=F("creator__user_id"), merchant_user_id=F("merchant__user_id"))
        )
    else:
        qs = qs.select_related("product", "creator__user", "merchant__user")
    return list(qs[:size])


def _left(name: str, result) -> list[SampleRequest]:
    for sample, why in result.left:
        logger.info("samples sweep %s: request #%s left for the per-row path: %s", name, sample.pk, why)
    return [sample for sample, _why in result.left]


def _close_by_sweep(sample: SampleRequest, at: datetime, *, sweep: str, transition: str, reason: str) -> bool:
    """A clock ran out (S4, S5): close the request with the reason and tell both parties."""
    sample.closed_at = at
    sample.close_reason = reason
    apply_transition(sample, transition, by=None, description=sweep_note(sweep, lambda: reason))
    tell_both(sample, lambda: _closed_text(sample, reason))
    return True


def _closed_template() -> str:
    return _("Sample request for “%(product)s” cancelled: %(reason)s")


def _closed_text(sample: SampleRequest, reason: str) -> str:
    return _closed_template() % {"product": product_title(sample), "reason": reason}


def _close_sql(name: str, timed: Clock, reason_template: Callable[[], str]) -> SqlMove:
    """S4, S5 in one statement per batch (their set-based path): what _close_by_sweep does to
    each row, with the same texts (the platform language's templates, filled in by PostgreSQL)."""
    transition, deadline = timed.transition, timed.deadline
    if not supports(SampleRequest, transition):
        raise ValueError(f"{transition}: a condition has no SQL form (as_q): it cannot run in one statement")

    def move_sql(qs, now, size, key):
        reason = SQL("m.close_reason")
        title = sql_text(platform_text(_closed_template), product=SQL("p.title"), reason=reason)
        body = notification_body()
        joins = (f"JOIN {Product._meta.db_table} p ON p.id = m.product_id "
                 f"JOIN {Creator._meta.db_table} cr ON cr.id = m.creator_id JOIN {Merchant._meta.db_table} me ON me.id = m.merchant_id")
        return claim_and_move(
            qs, transition, now=now, size=size, key=key, joins=joins,
            sets={"closed_at": lit(now), "close_reason": sql_text(platform_text(reason_template), deadline=local_time(f"r.{deadline}"))},
            description=sql_text(platform_text(sweep_note_template), sweep=name, what=reason),
            notices=[
                Notice("cr.user_id", title, _url_sql("samples:creator_detail"), body, "sample"),
                Notice("me.user_id", title, _url_sql("samples:merchant_detail"), body, "sample"),
            ],
        )

    return move_sql


def _url_sql(name: str) -> SQL:
    return SQL("replace(%s, '{}', m.id::text)", (detail_url_template(name),))


def _expire_template() -> str:
    return _("The merchant did not decide by %(deadline)s.")


def _expire_reason(sample: SampleRequest) -> str:
    return describe(lambda: _expire_template() % {"deadline": msg.local_time(sample.decide_by)})


def sweep_expire_undecided(*, now: datetime | None = None) -> int:
    """S4: requests the merchant did not decide on by decide_by are cancelled (expired)."""
    name = "samples.sweep_expire_undecided"

    s4 = clock("s4_decide")

    def move(sample, at):
        return _close_by_sweep(sample, at, sweep=name, transition=s4.transition, reason=_expire_reason(sample))

    return _run_sweep(name, s4.due, move, now, move_sql=_close_sql(name, s4, _expire_template))


def _unshipped_template() -> str:
    return _("The sample was not shipped by %(deadline)s.")


def _unshipped_reason(sample: SampleRequest) -> str:
    return describe(lambda: _unshipped_template() % {"deadline": msg.local_time(sample.ship_cancel_at)})


def sweep_cancel_unshipped(*, now: datetime | None = None) -> int:
    """S5: approved requests not shipped by ship_cancel_at (120 h after approval) are cancelled."""
    name = "samples.sweep_cancel_unshipped"

    s5 = clock("s5_cancel")

    def move(sample, at):
        return _close_by_sweep(sample, at, sweep=name, transition=s5.transition, reason=_unshipped_reason(sample))

    return _run_sweep(name, s5.due, move, now, move_sql=_close_sql(name, s5, _unshipped_template))


def _auto_receive_note(name: str, sample: SampleRequest) -> str:
    return sweep_note(name, lambda: _("Receipt confirmed automatically %(deadline)s after shipping.")
                      % {"deadline": msg.local_time(sample.auto_receive_at)})


def _auto_received_text(sample: SampleRequest) -> str:
    return _("Receipt of the sample of “%(product)s” was confirmed automatically. Start promoting it by %(deadline)s.") % {
        "product": product_title(sample), "deadline": msg.local_time(sample.fulfil_by)}


def sweep_auto_receive(*, now: datetime | None = None) -> int:
    """S6: 168 h after shipping, receipt is confirmed for the creator; S7's clock starts at that mark."""
    name = "samples.sweep_auto_receive"

    due = clock("s6_receive").due

    def move(sample, at):
        start_fulfil_clock(sample, sample.auto_receive_at)
        apply_transition(sample, "auto_receive", by=None, description=_auto_receive_note(name, sample))
        tell(user=sample.creator.user, url=creator_url(sample), text=lambda: _auto_received_text(sample))
        return True

    def move_batch(batch, at):
        for sample in batch:
            start_fulfil_clock(sample, sample.auto_receive_at)
        result = transition_batch(
            batch, "auto_receive", fields=["received_at", "fulfil_by"], description=lambda s: _auto_receive_note(name, s),
        )
        left = _left(name, result)
        for sample in left:
            sample.received_at, sample.fulfil_by = None, None
        notify_many([message(user_id=creator_user_id(s), url=creator_url(s), text=lambda s=s: _auto_received_text(s)) for s in result.moved])
        return len(result.moved), left

    return _run_sweep(name, due, move, now, move_batch)


def sweep_check_promotions(*, now: datetime | None = None) -> int:
    """S7: at the end of a recorded promotion's period, fulfil it if it held (see
    samples.services.promotion.check_promotion)."""
    name = "samples.sweep_check_promotions"

    def due(at):
        return clock("s7_check").due(at).select_related("promotion_video", "promotion_video_item", "promotion_live_item__session")

    def move(sample, at):
        return promotion.check_promotion(sample, at=at, sweep=name)

    def move_batch(batch, at):
        return _check_videos_batch(name, batch, at)

    return _run_sweep(name, due, move, now, move_batch)


def _check_videos_batch(name: str, batch: list[SampleRequest], at: datetime):
    """S7, V8 set-based for video promotions: the batch's videos and cart items read (and
    locked, as the per-row check locks them) in two queries, then fulfilled and breached in
    bulk. Live promotions go to the per-row path: their check reads the session's stretch and
    viewers and may clear the record instead (a handful: a live check is due 3 minutes in)."""
    videos = [s for s in batch if s.promotion == SampleRequest.Promotion.VIDEO]
    left = [s for s in batch if s.promotion != SampleRequest.Promotion.VIDEO]
    found = {v.pk: v for v in ShortVideo.objects.select_for_update().filter(pk__in={s.promotion_video_id for s in videos}).order_by("pk")}
    items = {i.pk: i for i in VideoCartItem.objects.select_for_update().filter(
        pk__in={s.promotion_video_item_id for s in videos}).order_by("pk")}
    held, breaches, reasons = [], [], {}
    for sample in videos:
        why = promotion.video_breach_reason(sample, found[sample.promotion_video_id], items[sample.promotion_video_item_id])
        if why is None:
            sample.fulfilled_at = sample.closed_at = sample.fulfil_check_at
            held.append(sample)
        else:
            reasons[sample.pk] = why
            sample.closed_at, sample.close_reason = at, why[:300]
            breaches.append(sample)
    note = promotion.video_held_note(name)
    fulfilled = transition_batch(held, "fulfil", fields=["fulfilled_at", "closed_at"], description=lambda s: note)
    breached = transition_batch(breaches, "breach", fields=["closed_at", "close_reason"],
                                description=lambda s: sweep_note(name, lambda: reasons[s.pk]))
    for sample in _left(name, fulfilled) + _left(name, breached):  # the per-row path starts from the row as it was
        sample.fulfilled_at, sample.closed_at, sample.close_reason = None, None, ""
        left.append(sample)
    notify_many(
        [m for s in fulfilled.moved for m in messages_both(s, lambda s=s: promotion.fulfilled_text(s))]
        + [m for s in breached.moved for m in messages_both(s, lambda s=s: promotion.breached_text(s, reasons[s.pk]))]
    )
    return len(fulfilled.moved) + len(breached.moved), left


def sweep_breach_unpromoted(*, now: datetime | None = None) -> int:
    """S7 (ours): received samples with no promotion started within 360 h are breached."""
    name = "samples.sweep_breach_unpromoted"

    def due(at):
        # V7: while the merchant may still refuse an extension, the breach waits for that decision.
        waiting = ExtensionRequest.objects.filter(clock("v7_extension").waiting(), sample_id=OuterRef("pk"))
        return clock("s7_fulfil").due(at).exclude(Exists(waiting))

    def reason_of(sample):
        return describe(lambda: _("No promotion started by %(deadline)s.") % {"deadline": msg.local_time(sample.fulfil_by)})

    def move(sample, at):
        promotion.breach(sample, at=at, sweep=name, reason=reason_of(sample))
        return True

    def move_batch(batch, at):
        reasons = {}
        for sample in batch:
            reasons[sample.pk] = reason_of(sample)
            sample.closed_at = at
            sample.close_reason = reasons[sample.pk][:300]
        result = transition_batch(
            batch, "breach", fields=["closed_at", "close_reason"], description=lambda s: sweep_note(name, lambda: reasons[s.pk]),
        )
        left = _left(name, result)
        for sample in left:
            sample.closed_at, sample.close_reason = None, ""
        notify_many([
            m for s in result.moved for m in messages_both(s, lambda s=s: promotion.breached_text(s, reasons[s.pk]))
        ])
        return len(result.moved), left

    return _run_sweep(name, due, move, now, move_batch)


def sweep_grant_extensions(*, now: datetime | None = None) -> int:
    """V7: silence grants it. At refuse_by the extension is granted (or lapses when the
    request has closed meanwhile). Rows are selected by the extension's partial index and
    locked sample first, as people lock them."""
    name = "samples.sweep_grant_extensions"

    def due(at):
        return SampleRequest.objects.filter(pk__in=clock("v7_extension").due(at).values("sample_id")).order_by("extension__refuse_by")

    def note(extension):
        return sweep_note(name, lambda: _("Not refused by %(deadline)s: granted.") % {"deadline": msg.local_time(extension.refuse_by)})

    def move(sample, at):
        extension = extensions.locked_extension(sample)
        if extension.state != ExtensionRequest.State.REQUESTED:
            return False
        extensions.grant(sample, extension, by=None, at=extension.refuse_by, description=note(extension))
        return True

    def move_batch(batch, at):
        found = {e.sample_id: e for e in ExtensionRequest.objects.select_for_update().filter(sample_id__in=[s.pk for s in batch])}
        left, grants, lapses = [], [], []
        for sample in batch:
            extension = found.get(sample.pk)
            if extension is None or extension.state != ExtensionRequest.State.REQUESTED:
                left.append(sample)  # the per-row path passes it (decided meanwhile)
                continue
            extension.decided_at = extension.refuse_by
            if sample.state != State.RECEIVED:
                lapses.append(extension)
                continue
            extension.fulfil_by_after = extension.fulfil_by_before + extension.extra
            grants.append(extension)
        granted = transition_batch(grants, "grant", fields=["decided_at", "fulfil_by_after"], description=note)
        lapsed = transition_batch(lapses, "lapse", fields=["decided_at"], description=note)
        by_pk = {s.pk: s for s in batch}
        moved_samples = []
        for extension in granted.moved:
            sample = by_pk[extension.sample_id]
            sample.fulfil_by = extension.fulfil_by_after
            moved_samples.append(sample)
        update_rows(SampleRequest, moved_samples, ["fulfil_by"])
        left += [by_pk[e.sample_id] for e, _why in granted.left + lapsed.left]
        notify_many([
            message(user_id=creator_user_id(s), url=creator_url(s), text=lambda s=s: extensions.granted_text(s)) for s in moved_samples
        ])
        return len(granted.moved) + len(lapsed.moved), left

    return _run_sweep(name, due, move, now, move_batch)
