"""FS1–FS6 and FS8 through the services: gates, modes, caps, stock and states; replies to problem reports."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django_fsm_log.models import StateLog

from core.models import RuleSetting
from core.rules import rules
from flashsales import selectors, services, texts
from flashsales.models import FlashSale, FlashSaleOrder, ProblemReport, ShippingTemplate
from shops.models import LiveSession
from tests import factories
from tests.conftest import png_bytes
from tests.flashsales import factories as ff
from tests.flashsales.conftest import create

pytestmark = pytest.mark.django_db


def messages_of(exc_info) -> str:
    return " ".join(exc_info.value.messages)


# FS1 ----------------------------------------------------------------------------------


def test_fs1_a_category_not_approved_as_non_standard_is_refused(world):
    world["product"].category.is_non_standard = False
    world["product"].category.save()
    with pytest.raises(ValidationError) as exc:
        create(world)
    assert messages_of(exc) == str(texts.CATEGORY_NOT_APPROVED % {"category": world["product"].category.name})
    assert FlashSale.objects.count() == 0


def test_fs1_an_approved_non_standard_category_is_accepted(world):
    assert create(world).status == FlashSale.Status.OPEN


# FS2: three separate gates -------------------------------------------------------------


def test_fs2_a_creator_the_platform_did_not_invite_is_refused(world):
    world["creator"].flash_sale_invited = False
    world["creator"].save()
    with pytest.raises(ValidationError) as exc:
        create(world)
    assert messages_of(exc) == str(texts.CREATOR_NOT_INVITED)


def test_fs2_an_invited_creator_below_the_standard_is_refused(world):
    world["creator"].meets_flash_sale_standard = False
    world["creator"].save()
    with pytest.raises(ValidationError) as exc:
        create(world)
    assert messages_of(exc) == str(texts.CREATOR_BELOW_STANDARD)


def test_fs2_a_merchant_below_the_standard_is_refused_even_for_an_invited_creator(world):
    merchant = world["product"].shop.merchant
    merchant.meets_flash_sale_standard = False
    merchant.save()
    with pytest.raises(ValidationError) as exc:
        create(world)
    assert messages_of(exc) == str(texts.MERCHANT_BELOW_STANDARD % {"merchant": merchant.name})
    assert FlashSale.objects.count() == 0


# FS3: full and targeted ----------------------------------------------------------------


def test_fs3_a_full_flash_sale_is_in_every_viewers_bag(world):
    sale = create(world)
    stranger = ff.ViewerFactory()
    assert list(selectors.panel_for_viewer(session=world["session"], viewer=stranger)) == [sale]
    assert list(selectors.panel_for_viewer(session=world["session"], viewer=None)) == [sale]


def test_fs3_a_targeted_flash_sale_is_seen_and_bought_by_its_viewer_only(world):
    sale = create(world, mode=FlashSale.Mode.TARGETED, target_viewer=world["viewer"])
    other = ff.ViewerFactory()
    assert list(selectors.panel_for_viewer(session=world["session"], viewer=world["viewer"])) == [sale]
    assert list(selectors.panel_for_viewer(session=world["session"], viewer=other)) == []
    with pytest.raises(ValidationError) as exc:
        services.flash_sale_buy(flash_sale=sale, viewer=other, quantity=1)
    assert messages_of(exc) == str(texts.NOT_FOR_YOU)
    assert services.flash_sale_buy(flash_sale=sale, viewer=world["viewer"], quantity=1).quantity == 1


def test_fs3_a_targeted_viewer_must_have_commented_in_this_session(world):
    elsewhere = ff.CommentFactory()  # commented in another session
    with pytest.raises(ValidationError) as exc:
        create(world, mode=FlashSale.Mode.TARGETED, target_viewer=elsewhere.viewer)
    assert str(texts.TARGET_NOT_IN_COMMENTS) in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        create(world, mode=FlashSale.Mode.TARGETED, target_viewer=None)
    assert str(texts.TARGET_MISSING) in messages_of(exc)


# FS4: created during the live, details, picture, template --------------------------------


@pytest.mark.parametrize("status", [LiveSession.Status.SCHEDULED, LiveSession.Status.ENDED])
def test_fs4_flash_sales_are_created_only_while_the_session_is_live(world, status):
    session = ff.LiveSessionFactory(creator=world["creator"], status=status)
    with pytest.raises(ValidationError) as exc:
        create(world, session=session)
    assert messages_of(exc) == str(texts.SESSION_NOT_LIVE)


def test_fs4_only_in_the_creators_own_session(world):
    with pytest.raises(ValidationError) as exc:
        create(world, session=ff.LiveSessionFactory())
    assert messages_of(exc) == str(texts.NOT_YOUR_SESSION)


@pytest.mark.parametrize("field,value,text", [
    ("price", Decimal("0"), texts.PRICE_NOT_POSITIVE), ("price", Decimal("-1"), texts.PRICE_NOT_POSITIVE),
    ("quantity", 0, texts.QUANTITY_NOT_POSITIVE), ("quantity", -3, texts.QUANTITY_NOT_POSITIVE),
])
def test_fs4_price_and_quantity_must_be_positive(world, field, value, text):
    with pytest.raises(ValidationError) as exc:
        create(world, **{field: value})
    assert exc.value.message_dict[field] == [str(text)]


def test_fs4_a_shipping_template_is_created_on_the_way(world):
    sale = create(world, shipping_template=None, new_template={"name": "偏远地区", "fee": Decimal("25.00")})
    assert sale.shipping_template.name == "偏远地区" and sale.shipping_template.creator == world["creator"]


def test_fs4_without_template_or_picture_nothing_is_created(world):
    with pytest.raises(ValidationError) as exc:
        create(world, shipping_template=None, picture=None)
    assert set(exc.value.message_dict) == {"shipping_template", "picture"}
    assert FlashSale.objects.count() == 0


def test_fs4_another_creators_template_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        create(world, shipping_template=ff.ShippingTemplateFactory())
    assert exc.value.message_dict["shipping_template"] == [str(texts.TEMPLATE_NOT_YOURS)]


def test_fs4_a_failed_create_leaves_no_template_behind(world):
    world["creator"].flash_sale_invited = False
    world["creator"].save()
    with pytest.raises(ValidationError, match=re.escape(str(texts.CREATOR_NOT_INVITED))):
        create(world, shipping_template=None, new_template={"name": "新模板", "fee": Decimal("5")})
    assert not ShippingTemplate.objects.filter(name="新模板").exists()


# FS5: caps per product ------------------------------------------------------------------


def fill(world, mode, n, **extra):
    ff.FlashSaleFactory.create_batch(n, session=world["session"], product=world["product"], mode=mode,
                                     shipping_template=world["template"], **extra)


def test_fs5_the_20th_full_flash_sale_is_allowed_and_the_21st_refused(world):
    cap = rules.count("fs_full_cap")
    assert cap == 20
    fill(world, FlashSale.Mode.FULL, cap - 1)
    assert create(world).mode == FlashSale.Mode.FULL  # the 20th
    with pytest.raises(ValidationError) as exc:
        create(world)  # the 21st
    assert messages_of(exc) == str(texts.FULL_CAP_REACHED % {"cap": cap})
    assert FlashSale.objects.filter(product=world["product"], mode="full").count() == cap


def test_fs5_sold_out_and_ended_flash_sales_count_toward_the_cap(world):
    cap = rules.count("fs_full_cap")
    fill(world, FlashSale.Mode.FULL, cap // 2, status=FlashSale.Status.ENDED)
    fill(world, FlashSale.Mode.FULL, cap - cap // 2, status=FlashSale.Status.SOLD_OUT, sold_count=10)
    with pytest.raises(ValidationError, match=re.escape(texts.FULL_CAP_REACHED % {"cap": cap})):
        create(world)


def test_fs5_the_100th_targeted_flash_sale_is_allowed_and_the_101st_refused(world):
    cap = rules.count("fs_targeted_cap")
    assert cap == 100
    fill(world, FlashSale.Mode.TARGETED, cap - 1, target_viewer=world["viewer"])
    assert create(world, mode=FlashSale.Mode.TARGETED, target_viewer=world["viewer"]).mode == "targeted"
    with pytest.raises(ValidationError) as exc:
        create(world, mode=FlashSale.Mode.TARGETED, target_viewer=world["viewer"])
    assert messages_of(exc) == str(texts.TARGETED_CAP_REACHED % {"cap": cap})
    # The caps are separate: the full ones are still free.
    assert create(world).mode == FlashSale.Mode.FULL


def test_fs5_caps_are_per_product(world):
    fill(world, FlashSale.Mode.FULL, rules.count("fs_full_cap"))
    other = ff.JadeProductFactory()
    assert create(world, product=other).product == other


def test_fs5_the_cap_comes_from_the_rules_object(world):
    RuleSetting.objects.update_or_create(key="fs_full_cap", defaults={"value": 2, "unit": "count"})
    create(world)
    create(world)
    with pytest.raises(ValidationError) as exc:
        create(world)
    assert "2" in messages_of(exc)


# FS6: buying, sold out, ending ----------------------------------------------------------


def test_fs6_buying_adds_the_shipping_fee_once_per_order(world):
    sale = create(world, price=Decimal("100.00"), quantity=5)
    order = services.flash_sale_buy(flash_sale=sale, viewer=world["viewer"], quantity=3)
    assert (order.unit_price, order.shipping_fee, order.amount) == (Decimal("100.00"), Decimal("12.00"), Decimal("312.00"))
    sale = FlashSale.objects.get(pk=sale.pk)
    assert sale.sold_count == 3 and sale.status == FlashSale.Status.OPEN


def test_fs6_the_last_unit_sells_it_out_hides_it_and_is_logged(world):
    sale = create(world, quantity=2)
    services.flash_sale_buy(flash_sale=sale, viewer=world["viewer"], quantity=1)
    services.flash_sale_buy(flash_sale=sale, viewer=ff.ViewerFactory(), quantity=1)
    sale = FlashSale.objects.get(pk=sale.pk)
    assert sale.status == FlashSale.Status.SOLD_OUT and sale.closed_at is not None
    assert list(selectors.panel_for_viewer(session=world["session"], viewer=world["viewer"])) == []
    log = StateLog.objects.for_(sale).get()
    assert (log.source_state, log.state, log.by) == ("open", "sold_out", None)
    assert world["creator"].user.notifications.filter(title__contains=sale.title).exists()


def test_fs6_one_unit_short_of_sold_out_stays_open(world):
    sale = create(world, quantity=3)
    services.flash_sale_buy(flash_sale=sale, viewer=world["viewer"], quantity=2)
    sale = FlashSale.objects.get(pk=sale.pk)
    assert sale.status == FlashSale.Status.OPEN and sale.remaining == 1


def test_fs6_buying_more_than_is_left_is_refused_and_charges_nothing(world):
    sale = create(world, quantity=2)
    with pytest.raises(ValidationError) as exc:
        services.flash_sale_buy(flash_sale=sale, viewer=world["viewer"], quantity=3)
    assert messages_of(exc) == str(texts.NOT_ENOUGH_LEFT % {"left": 2})
    assert FlashSaleOrder.objects.count() == 0


def test_fs6_the_creator_ends_a_flash_sale_by_hand_at_any_time(world):
    sale = create(world)
    services.flash_sale_buy(flash_sale=sale, viewer=world["viewer"], quantity=1)
    services.flash_sale_end(flash_sale=sale, by=world["creator"].user)
    sale = FlashSale.objects.get(pk=sale.pk)
    assert sale.status == FlashSale.Status.ENDED
    log = StateLog.objects.for_(sale).get()
    assert (log.state, log.by) == ("ended", world["creator"].user)
    assert list(selectors.panel_for_viewer(session=world["session"], viewer=None)) == []
    with pytest.raises(ValidationError) as exc:
        services.flash_sale_buy(flash_sale=sale, viewer=world["viewer"], quantity=1)
    assert messages_of(exc) == str(texts.NOT_OPEN)
    with pytest.raises(ValidationError, match=re.escape(str(texts.NOT_OPEN))):  # ending twice: a clear message, not a crash
        services.flash_sale_end(flash_sale=sale, by=world["creator"].user)


def test_fs6_status_cannot_be_assigned_directly(world):
    sale = create(world)
    with pytest.raises(AttributeError):
        sale.status = FlashSale.Status.ENDED


def test_fs6_nothing_is_sold_once_the_live_has_ended(world):
    sale = create(world)
    LiveSession.objects.filter(pk=world["session"].pk).update(status=LiveSession.Status.ENDED)
    with pytest.raises(ValidationError) as exc:
        services.flash_sale_buy(flash_sale=sale, viewer=world["viewer"], quantity=1)
    assert messages_of(exc) == str(texts.ROOM_NOT_LIVE)


# FS8: replies to problem reports ------------------------------------------------------


@pytest.fixture
def report(world):
    shop = factories.ShopFactory()
    return services.problem_report_create(
        reporter=world["creator"].user, desk=ProblemReport.Desk.CREATOR_SUPPORT, shop=shop, creator=world["creator"],
        description="定向闪购发不出去", attachment=ContentFile(png_bytes(), name="s.png"),
        attachment_kind=ProblemReport.AttachmentKind.IMAGE,
    )


def test_fs8_answering_records_the_reply_with_who_and_when_and_tells_the_reporter(report, staff):
    services.problem_report_answer(report=report, by=staff, reply="  已为你重新开通，请重试。 ")
    report = ProblemReport.objects.get(pk=report.pk)
    assert (report.status, report.reply) == (ProblemReport.Status.ANSWERED, "已为你重新开通，请重试。")
    [row] = report.replies.all()
    assert (row.reply, row.by, row.created_at) == ("已为你重新开通，请重试。", staff, report.answered_at)
    assert report.reporter.notifications.get().body == "已为你重新开通，请重试。"


def test_fs8_a_reviewer_corrects_an_answered_reply_recorded_beside_the_first_and_the_reporter_told(report, staff):
    services.problem_report_answer(report=report, by=staff, reply="请重试。")
    other = factories.StaffFactory()
    services.problem_report_reply(report=report, by=other, reply="已为你重新开通定向闪购，请重试。")
    report = ProblemReport.objects.get(pk=report.pk)
    assert report.status == ProblemReport.Status.ANSWERED and report.reply == "已为你重新开通定向闪购，请重试。"
    assert [(r.reply, r.by) for r in report.replies.all()] == [("请重试。", staff), ("已为你重新开通定向闪购，请重试。", other)]
    latest = report.reporter.notifications.order_by("-id").first()
    assert latest.body == "已为你重新开通定向闪购，请重试。" and f"#{report.pk}" in latest.title
    assert latest.url == "/creator/flash-sales/report/"


def test_fs8_the_same_reply_again_changes_nothing_and_tells_nobody(report, staff):
    services.problem_report_answer(report=report, by=staff, reply="请重试。")
    services.problem_report_reply(report=report, by=staff, reply=" 请重试。")
    assert report.replies.count() == 1
    assert report.reporter.notifications.count() == 1


def test_fs8_refusals_name_what_is_wrong(report, staff):
    with pytest.raises(ValidationError, match=re.escape(str(texts.NOT_ANSWERED_YET))):
        services.problem_report_reply(report=report, by=staff, reply="请重试。")
    with pytest.raises(ValidationError, match=re.escape(str(texts.REPLY_MISSING))):
        services.problem_report_answer(report=report, by=staff, reply="   ")
    services.problem_report_answer(report=report, by=staff, reply="请重试。")
    with pytest.raises(ValidationError, match=re.escape(str(texts.ALREADY_ANSWERED))):
        services.problem_report_answer(report=report, by=staff, reply="再试一次。")
    with pytest.raises(ValidationError, match=re.escape(str(texts.REPLY_MISSING))):
        services.problem_report_reply(report=report, by=staff, reply="")
    assert report.replies.count() == 1
