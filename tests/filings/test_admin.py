"""The reviewers' workspace: queue, decisions (single and bulk, reasons required), history,
documents inline, F11 offline approval, and two reviewers at once (PostgreSQL)."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.fsm import stale_message
from filings import services
from filings.admin import FilingAdmin
from filings.models import Filing, LotteryProduct
from shops.models import Product
from tests import factories
from tests.filings.factories import FilingFactory, set_state

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/filings/filing/"


@pytest.fixture
def reviewer():
    """A reviewer as the demo sets one up: staff in a group with the filings permissions."""
    user = factories.UserFactory(username="reviewer", is_staff=True)
    group, _ = Group.objects.get_or_create(name="Platform reviewers")
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=["filings", "shops", "django_fsm_log"]))
    user.groups.add(group)
    return user


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def under_review(minutes_ago=0, **kwargs):
    return set_state(FilingFactory(**kwargs), Filing.State.UNDER_REVIEW, submitted_at=timezone.now() - timedelta(minutes=minutes_ago))


def test_f2_queue_is_ordered_by_waiting_time(reviewer_client):
    newer = under_review(5)
    older = under_review(600)
    FilingFactory()  # pending: after the waiting ones
    resp = reviewer_client.get(CHANGELIST)
    ids = [f.pk for f in resp.context["cl"].result_list]
    assert ids[:2] == [older.pk, newer.pk]


def test_f2_queue_filters_and_search(reviewer_client):
    a = under_review(product__title="和田玉手镯")
    b = FilingFactory(product__title="牛肉干", reasons=["distribution"])
    assert [f.pk for f in reviewer_client.get(CHANGELIST, {"state": "under_review"}).context["cl"].result_list] == [a.pk]
    assert [f.pk for f in reviewer_client.get(CHANGELIST, {"state": "all", "reason": "distribution"}).context["cl"].result_list] == [b.pk]
    assert [f.pk for f in reviewer_client.get(CHANGELIST, {"state": "all", "q": "手镯"}).context["cl"].result_list] == [a.pk]
    assert [f.pk for f in reviewer_client.get(CHANGELIST, {"q": a.creator.platform_id}).context["cl"].result_list] == [a.pk]


def test_f2_queue_opens_on_what_waits_and_all_is_a_choice_of_its_own(reviewer_client):
    waiting = under_review(5)
    pending = FilingFactory()
    assert [f.pk for f in reviewer_client.get(CHANGELIST).context["cl"].result_list] == [waiting.pk]
    page = reviewer_client.get(CHANGELIST, {"state": "all"})
    assert {f.pk for f in page.context["cl"].result_list} == {waiting.pk, pending.pk}
    assert "?state=all" in page.content.decode()  # the filter's "All" link keeps its value


def test_f9_queue_sorts_by_the_sessions_deadline(reviewer_client):
    later, sooner, none = under_review(1), under_review(2), under_review(3)
    factories.LiveSessionFactory(creator=later.creator, scheduled_start=timezone.now() + timedelta(days=20))
    factories.LiveSessionFactory(creator=sooner.creator, scheduled_start=timezone.now() + timedelta(days=5))
    column = FilingAdmin.list_display.index("latest_date") + 1
    ids = [f.pk for f in reviewer_client.get(CHANGELIST, {"o": str(column)}).context["cl"].result_list]
    assert ids == [sooner.pk, later.pk, none.pk]  # no session ahead: last


def test_queue_has_no_n_plus_one(reviewer_client, django_assert_max_num_queries):
    for i in range(20):
        under_review(i, reasons=["pk", "product_edit"])
    with django_assert_max_num_queries(20):
        assert reviewer_client.get(CHANGELIST).status_code == 200


def test_f2_bulk_approve_goes_through_an_intermediate_page_with_the_f12_notice(reviewer_client, reviewer):
    filings = [under_review(i) for i in range(3)]
    ids = [f.pk for f in filings]
    resp = reviewer_client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": ids})
    assert resp.status_code == 200 and "形式审核" in resp.content.decode()
    assert all(f.state == Filing.State.UNDER_REVIEW for f in Filing.objects.all())
    resp = reviewer_client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": ids, "apply": "1", "reason": ""})
    assert resp.status_code == 302
    assert set(Filing.objects.values_list("state", flat=True)) == {Filing.State.APPROVED}
    assert set(Filing.objects.values_list("decided_by", flat=True)) == {reviewer.pk}


def test_f2_bulk_not_approve_requires_a_reason(reviewer_client):
    filings = [under_review(i) for i in range(2)]
    ids = [f.pk for f in filings]
    resp = reviewer_client.post(CHANGELIST, {"action": "reject_selected", "_selected_action": ids, "apply": "1", "reason": ""})
    assert resp.status_code == 200 and resp.context["form"].errors["reason"]
    assert set(Filing.objects.values_list("state", flat=True)) == {Filing.State.UNDER_REVIEW}
    reviewer_client.post(CHANGELIST, {"action": "reject_selected", "_selected_action": ids, "apply": "1", "reason": "资质不全"})
    assert set(Filing.objects.values_list("review_reason", flat=True)) == {"资质不全"}
    assert set(Filing.objects.values_list("state", flat=True)) == {Filing.State.NOT_APPROVED}


def test_f2_bulk_reports_each_filing_that_cannot_move(reviewer_client):
    ok = under_review()
    pending = FilingFactory()
    resp = reviewer_client.post(
        CHANGELIST + "?state=all", {"action": "approve_selected", "_selected_action": [ok.pk, pending.pk], "apply": "1"}, follow=True
    )
    texts = [str(m) for m in resp.context["messages"]]
    # Through run_bulk: the refusal is a message naming the filing, never a 403; the others go on.
    assert texts == [f"{pending}: {stale_message(pending)}", str(gettext_lazy("%(n)d filing(s) approved.")) % {"n": 1}]
    ok.refresh_from_db()
    pending.refresh_from_db()
    assert ok.state == Filing.State.APPROVED and pending.state == Filing.State.PENDING


def test_f12_single_revoke_from_the_change_page(reviewer_client):
    filing = set_state(FilingFactory(), Filing.State.APPROVED)
    page = reviewer_client.get(f"{CHANGELIST}{filing.pk}/change/").content.decode()
    # #22: the change page's button posts to the decision view; the reason page stays for it.
    assert f"{filing.pk}/decision/revoke/" in page and "形式审核" in page
    url = f"{CHANGELIST}{filing.pk}/decide/revoke/"
    assert reviewer_client.post(url, {"apply": "1", "reason": ""}).status_code == 200
    resp = reviewer_client.post(url, {"apply": "1", "reason": "报备信息与实际不一致"})
    assert resp.status_code == 302
    filing.refresh_from_db()
    assert filing.state == Filing.State.NOT_APPROVED and filing.review_reason == "报备信息与实际不一致"


def test_f2_change_page_shows_history_and_documents(reviewer_client, pdf_upload):
    doc_type = factories.DocumentTypeFactory()
    category = factories.CategoryFactory()
    category.required_documents.add(doc_type)
    filing = FilingFactory(product__category=category)
    services.filing_submit(filing=filing, merchant=filing.product.shop.merchant, by=filing.product.shop.merchant.user, uploads={doc_type.pk: pdf_upload()})
    html = reviewer_client.get(f"{CHANGELIST}{filing.pk}/change/").content.decode()
    assert f"/filings/documents/{filing.documents.get().pk}/" in html
    # The history row in the reader's language: pending → under review as their labels.
    assert "under_review" not in html and str(Filing.State.UNDER_REVIEW.label) in html
    assert reviewer_client.get(f"/filings/documents/{filing.documents.get().pk}/").status_code == 200


def test_a_merchant_cannot_use_the_decide_view(client, merchant):
    filing = under_review()
    client.force_login(merchant.user)
    resp = client.post(f"{CHANGELIST}{filing.pk}/decide/approve/", {"apply": "1"})
    assert resp.status_code == 302 and "/admin/login/" in resp["Location"]
    filing.refresh_from_db()
    assert filing.state == Filing.State.UNDER_REVIEW


def test_f11_offline_approval_admin_action(reviewer_client, reviewer):
    lottery = factories.ProductFactory(price=Decimal("0"), is_zero_price_lottery=True, sale_status=Product.SaleStatus.OFF_SALE)
    factories.ProductFactory()  # not a lottery: not in this list
    resp = reviewer_client.get("/admin/filings/lotteryproduct/")
    assert [p.pk for p in resp.context["cl"].result_list] == [lottery.pk]
    reviewer_client.post("/admin/filings/lotteryproduct/", {"action": "approve_offline", "_selected_action": [lottery.pk]})
    lottery.refresh_from_db()
    assert lottery.lottery_approved_by == reviewer
    assert LotteryProduct.objects.filter(pk=lottery.pk, lottery_approved_at__isnull=False).exists()


# --- two reviewers at once ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_f2_two_reviewers_at_once_exactly_one_transition():
    from django_fsm_log.models import StateLog

    first = factories.StaffFactory(username="rev-a")
    second = factories.StaffFactory(username="rev-b")
    filing = under_review()
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def act(name, func, user, **kwargs):
        try:
            barrier.wait(timeout=10)
            func(filing=Filing.objects.get(pk=filing.pk), by=user, **kwargs)
            outcomes[name] = "done"
        except Exception as exc:  # the loser's message is what we check
            outcomes[name] = " ".join(getattr(exc, "messages", [str(exc)]))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("approve", services.filing_approve, first)),
        threading.Thread(target=act, args=("reject", services.filing_reject, second), kwargs={"reason": "资质不全"}),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    filing.refresh_from_db()
    assert sorted(outcomes.values()).count("done") == 1
    loser = next(v for v in outcomes.values() if v != "done")
    assert loser == stale_message(filing)  # "no longer possible: the filing is now <the winner's state>"
    decisions = StateLog.objects.for_(filing).filter(source_state="under_review")
    assert decisions.count() == 1
    assert filing.state in (Filing.State.APPROVED, Filing.State.NOT_APPROVED)
