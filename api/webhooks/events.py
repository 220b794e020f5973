"""Where webhook events come from: django-fsm's post_transition (one row), core.events'
transitions_applied (rows moved in bulk), the new extension request (V7), D4's
alliance_removed and core's rule_changed. Each becomes one delivery per subscribed endpoint,
recorded in the caller's transaction, with its outbox message (core.outbox)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone
from django_fsm_log.models import StateLog

from api.webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from core import outbox
from filings.models import Filing, FilingAppeal
from flashsales.models import FlashSale
from samples.models import ExtensionRequest, SampleAppeal, SampleRequest

# (merchant id, event id, data) per object
Item = tuple[int, str, dict]


def message_id(event_id: str) -> str:
    return "msg_" + hashlib.sha256(event_id.encode()).hexdigest()[:32]


def record(event_type: str, items: Iterable[Item], *, everyone: bool = False) -> int:
    """Store one delivery per (subscribed endpoint, event) — never twice for the same event id —
    and queue them when the transaction commits. Returns how many endpoints×events matched."""
    items = list(items)
    if not items:
        return 0
    endpoints = WebhookEndpoint.objects.filter(deleted_at__isnull=True)
    if not everyone:
        endpoints = endpoints.filter(merchant_id__in={merchant for merchant, _, _ in items})
    # The event filter in Python: a merchant has a handful of endpoints, and JSON `contains`
    # is not portable (the SQLite quick start).
    endpoints = [e for e in endpoints.only("id", "merchant_id", "events") if event_type in e.events]
    if not endpoints:
        return 0
    now = timezone.now()
    rows = [
        WebhookDelivery(endpoint_id=endpoint.pk, event_id=event_id, message_id=message_id(event_id), event_type=event_type,
                        payload={"type": event_type, "timestamp": now.isoformat(), "data": data}, next_attempt_at=now, created_at=now)
        for merchant, event_id, data in items
        for endpoint in endpoints
        if everyone or endpoint.merchant_id == merchant
    ]
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)  # the unique (endpoint, event id) keeps one
    pairs = Q()
    for row in rows:
        pairs |= Q(endpoint_id=row.endpoint_id, event_id=row.event_id)
    ids = list(WebhookDelivery.objects.filter(pairs, state=WebhookDelivery.State.PENDING, attempts=0).values_list("pk", flat=True))
    outbox.enqueue_many("api.tasks.deliver_webhook", [[pk] for pk in ids])  # relayed after commit (#23)
    return len(rows)


def _event_id(model, pk, name: str, target: str, occurrence: int) -> str:
    return f"{model._meta.label_lower}:{pk}:{name}:{target}:{occurrence}"


def _occurrences(model, pks, name: str) -> dict[int, int]:
    """How many times each row has gone through `name`, counting the move being announced
    (django-fsm-log records it before this runs, per row and in bulk alike): a transition taken
    again (V9's second loss and re-ship) is a new event, the same one announced twice is not."""
    counted = (StateLog.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=list(pks), transition=name)
               .values("object_id").annotate(n=Count("id")).values_list("object_id", "n"))
    return dict(counted)


def _listening(event_type: str) -> set[int]:
    """The merchants with a live endpoint subscribed to `event_type` (a bulk move of thousands
    of rows reads its rows only for them: usually none)."""
    return {e.merchant_id for e in WebhookEndpoint.objects.filter(deleted_at__isnull=True).only("merchant_id", "events")
            if event_type in e.events}


def transitions(model, pks: list, *, name: str, source: str, target: str) -> None:
    """Rows of `model` went through `name` (source → target): the events they mean."""
    if model is SampleRequest:
        merchants = _listening(Event.SAMPLE_STATE_CHANGED)
        if not merchants:
            return
        rows = list(SampleRequest.objects.filter(pk__in=pks, merchant_id__in=merchants).values_list("pk", "merchant_id", "product_id", "creator_id"))
        seen = _occurrences(model, [row[0] for row in rows], name)
        record(Event.SAMPLE_STATE_CHANGED, [
            (merchant, _event_id(model, pk, name, target, seen.get(pk, 1)),
             {"sample_request": pk, "product": product, "creator": creator, "transition": name, "from": source, "to": target})
            for pk, merchant, product, creator in rows
        ])
    elif model is Filing and target in (Filing.State.APPROVED, Filing.State.NOT_APPROVED):
        rows = Filing.objects.filter(pk__in=pks).values_list("pk", "product__shop__merchant_id", "product_id", "creator_id")
        seen = _occurrences(model, pks, name)
        record(Event.FILING_REVIEWED, [
            (merchant, _event_id(model, pk, name, target, seen.get(pk, 1)), {"filing": pk, "product": product, "creator": creator, "state": target})
            for pk, merchant, product, creator in rows
        ])
    elif model in (SampleAppeal, FilingAppeal):
        # Announced before the row is saved (django-fsm signals from inside the transition): the state is the target.
        record(Event.APPEAL_CHANGED, [appeal_item(appeal, name, state=target) for appeal in model.objects.filter(pk__in=pks)])
    elif model is FlashSale and target == FlashSale.Status.SOLD_OUT:
        rows = FlashSale.objects.filter(pk__in=pks).values_list("pk", "product__shop__merchant_id", "product_id", "session_id")
        seen = _occurrences(model, pks, name)
        record(Event.FLASH_SALE_SOLD_OUT, [
            (merchant, _event_id(model, pk, name, target, seen.get(pk, 1)), {"flash_sale": pk, "product": product, "session": session})
            for pk, merchant, product, session in rows
        ])


# --- receivers, connected in ApiConfig.ready() ---

def on_post_transition(sender, instance, name, source, target, **kwargs) -> None:
    if sender in (SampleAppeal, FilingAppeal):  # the instance holds the decision and its reason before it is saved
        record(Event.APPEAL_CHANGED, [appeal_item(instance, name, state=str(target))])
        return
    transitions(sender, [instance.pk], name=name, source=str(source), target=str(target))


def on_transitions_applied(sender, pks, name, source, target, **kwargs) -> None:
    transitions(sender, pks, name=name, source=str(source), target=str(target))


def on_extension_saved(sender, instance: ExtensionRequest, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    sample = instance.sample
    record(Event.EXTENSION_ASKED, [(
        sample.merchant_id, f"samples.extensionrequest:{instance.pk}:asked",
        {"sample_request": sample.pk, "extension": instance.pk, "reason": instance.reason,
         "refuse_by": instance.refuse_by.isoformat()},
    )])


def appeal_item(appeal, event: str, *, state: str | None = None) -> Item:
    """AP5: an appeal filed or decided, for the merchant of the request or the filing."""
    if isinstance(appeal, SampleAppeal):
        merchant, subject = appeal.sample.merchant_id, {"kind": "sample", "sample_request": appeal.sample_id}
    else:
        merchant, subject = appeal.filing.product.shop.merchant_id, {"kind": "filing", "filing": appeal.filing_id}
    data = {"appeal": appeal.pk, **subject, "event": event, "state": state or appeal.state, "decide_by": appeal.decide_by.isoformat(),
            "decision_reason": appeal.decision_reason}
    return merchant, f"{appeal._meta.label_lower}:{appeal.pk}:{event}", data


def on_appeal_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        record(Event.APPEAL_CHANGED, [appeal_item(instance, "filed")])


def on_alliance_removed(sender, product, removal, **kwargs) -> None:
    record(Event.ALLIANCE_REMOVED, [(
        product.shop.merchant_id, f"shops.allianceremoval:{removal.pk}:removed", {"product": product.pk, "removal": removal.pk},
    )])


def on_rule_changed(sender, key, rule_id, value, unit, **kwargs) -> None:
    changed = timezone.now().isoformat(timespec="microseconds")
    record(Event.RULE_CHANGED, [(0, f"core.rulesetting:{key}:{changed}", {"rule": rule_id, "key": key, "value": value, "unit": unit})],
           everyone=True)
