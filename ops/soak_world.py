"""The small world the soak drives, and the checks it makes on the database afterwards.

Built with the test suite's factories (the soak runs on a throwaway database made by
scripts/soak.sh, never on real data). Domain modules are imported inside the functions so
that importing ops/ never pulls in a domain app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

PASSWORD = "soak-pass-2026"

# The platform rules, shortened to seconds so every clock runs out during the soak.
SECONDS_RULES = {
    "sample_decide": 8,
    "sample_ship": 6,
    "sample_ship_cancel": 10,
    "sample_auto_receive": 6,
    "sample_fulfil": 10,
    "sample_remind_merchant": 3,
    "sample_remind_creator_early": 6,
    "sample_remind_creator": 3,
    "sample_retry_wait": 0,
    "sample_due_soon": 3,
}


@dataclass
class World:
    merchants: list[str] = field(default_factory=list)
    creators: list[str] = field(default_factory=list)
    products: list[int] = field(default_factory=list)
    session: int = 0
    sales: list[int] = field(default_factory=list)


NO_SAMPLE_REQUESTS = "no sample request was made: the simulated creators were refused (see the web log)"

def build(*, merchants: int = 3, products_per_merchant: int = 6, creators: int = 12, sale_quantity: int = 25) -> World:
    from django.db import transaction

    from core.models import RuleSetting
    from flashsales.models import FlashSale
    from shops.models import LiveSession
    from tests import factories
    from tests.flashsales import factories as fs_factories
    from tests.samples.factories import address_for

    world = World()
    with transaction.atomic():
        for key, seconds in SECONDS_RULES.items():
            RuleSetting.objects.filter(key=key).update(value=seconds, unit="seconds")
        for m in range(merchants):
            user = factories.UserFactory(username=f"soak_m{m}", password=PASSWORD)
            merchant = factories.MerchantFactory(user=user)
            shop = factories.ShopFactory(merchant=merchant)
            for _ in range(products_per_merchant):
                world.products.append(factories.AllianceListingFactory(product__shop=shop).product_id)
            world.merchants.append(user.username)
        for c in range(creators):
            user = factories.UserFactory(username=f"soak_c{c}", password=PASSWORD)
            creator = factories.CreatorFactory(user=user)
            address_for(creator)  # S1: a request ships to the creator's default address (#13)
            world.creators.append(user.username)
        session = fs_factories.LiveSessionFactory()
        LiveSession.objects.filter(pk=session.pk).update(status=LiveSession.Status.LIVE)
        world.session = session.pk
        for _ in range(2):
            sale = fs_factories.FlashSaleFactory(session=session, quantity=sale_quantity, mode=FlashSale.Mode.FULL)
            world.sales.append(sale.pk)
    return world


# ---------------------------------------------------------------------------------------
# The checks, on the database after the stack has caught up.

SWEEP_TRANSITIONS = {"expire", "cancel_unshipped", "auto_receive", "breach"}


def check(*, started: datetime, ended: datetime, mail_messages: int, killed_senders: int = 0) -> tuple[list[str], dict]:
    """Violations (human-readable, empty when all holds) and a few counts for the report.

    `killed_senders`: e-mail sends a SIGKILL may have cut between the mail leaving and its
    emailed_at mark committing (the worker processes killed while running). Such an e-mail is
    sent again by the retry, by design: a notification is e-mailed at least once, and twice
    only by a sender that died in that window; no other duplicate is allowed."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count, Sum
    from django_fsm_log.models import StateLog

    from core.models import Notification
    from flashsales.models import FlashSale, FlashSaleOrder
    from ops import clocks
    from samples.models import SampleRequest

    violations: list[str] = []

    # 1. Every request whose deadline passed has moved (no clock still behind) …
    for reading in clocks.read_all(ended, count=True):
        if reading.due_rows:
            violations.append(f"{reading.due_rows} row(s) of clock {reading.clock.key} still due after the catch-up")
    # … and moved once: no sweep transition twice on one request.
    ct = ContentType.objects.get_for_model(SampleRequest)
    twice = (
        StateLog.objects.filter(content_type=ct, transition__in=SWEEP_TRANSITIONS)
        .values("object_id", "transition").annotate(n=Count("id")).filter(n__gt=1)
    )
    violations += [f"sample request #{r['object_id']} moved by {r['transition']} {r['n']} times" for r in twice]

    # 2. Transition records match transitions one to one: each object's records form one
    # chain from its first state to the state it is in now.
    transitions = 0
    for model, first in ((SampleRequest, "requested"), (FlashSale, "open")):
        ct = ContentType.objects.get_for_model(model)
        logs: dict[int, list] = {}
        for log in StateLog.objects.filter(content_type=ct).order_by("timestamp", "id"):
            logs.setdefault(log.object_id, []).append(log)
        state_field = "status" if model is FlashSale else "state"
        for obj in model.objects.filter(pk__in=list(logs)).only("pk", state_field):
            chain = logs[obj.pk]
            transitions += sum(1 for log in chain if log.timestamp >= started)
            expected = first
            for log in chain:
                if log.source_state != expected:
                    violations.append(f"{model._meta.label} #{obj.pk}: record {log.transition} from {log.source_state}, state was {expected}")
                expected = log.state
            if expected != getattr(obj, state_field):
                violations.append(f"{model._meta.label} #{obj.pk}: records end at {expected}, row is {getattr(obj, state_field)}")

    # 3. Stock never negative, caps never exceeded.
    for sale in FlashSale.objects.annotate(ordered=Sum("orders__quantity")):
        ordered = sale.ordered or 0
        if not (0 <= sale.sold_count <= sale.quantity) or ordered != sale.sold_count:
            violations.append(f"flash sale #{sale.pk}: quantity {sale.quantity}, sold {sale.sold_count}, ordered {ordered}")
    if FlashSaleOrder.objects.filter(quantity__lte=0).exists():
        violations.append("a flash-sale order of no units")
    from core.rules import rules

    caps = {FlashSale.Mode.FULL: rules.count("fs_full_cap"), FlashSale.Mode.TARGETED: rules.count("fs_targeted_cap")}
    for row in FlashSale.objects.values("product_id", "mode").annotate(n=Count("id")):
        if row["n"] > caps[row["mode"]]:
            violations.append(f"product #{row['product_id']}: {row['n']} {row['mode']} flash sales, cap {caps[row['mode']]} (FS5)")

    # 4. Every notification e-mailed: none pending; once each, but for the sends a kill cut.
    emailed = Notification.objects.exclude(user__email="").filter(emailed_at__isnull=False).count()
    pending = clocks.emails_pending()
    if pending:
        violations.append(f"{pending} notification e-mail(s) never sent")
    if not emailed <= mail_messages <= emailed + killed_senders:
        violations.append(f"{mail_messages} e-mails sent for {emailed} notifications"
                          f" (at most {killed_senders} more allowed: sends cut by a kill)")

    counts = {
        "transitions": transitions,
        "sample_requests": SampleRequest.objects.count(),
        "sample_states": dict(SampleRequest.objects.values_list("state").annotate(n=Count("id")).order_by()),
        "units_sold": FlashSale.objects.aggregate(n=Sum("sold_count"))["n"] or 0,
        "notifications_emailed": emailed,
        "emails_sent_again_after_a_kill": max(mail_messages - emailed, 0),
    }
    if counts["sample_requests"] == 0:  # the clocks were never exercised: the run proves nothing about them
        violations.append(NO_SAMPLE_REQUESTS)
    return violations, counts
