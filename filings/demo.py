"""Demo filings (报备) in every state, on top of seed_core's world. Idempotent: each step
looks its filing up by (product, linked creator) and only acts when it is missing."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from filings import services
from filings.appeals.services import filing_appeal_file
from filings.models import CalendarYear, Filing, Reason
from filings.workdays.notice_parser import parse_notice
from filings.workdays.services import calendar_year_enter
from shops import services as shop_services
from shops.models import LiveSession

# F9: a sample 2027 so the calendar journey can be seen. Labelled as demo data everywhere
# it shows: it is NOT the State Council's 2027 schedule (not yet published when written).
DEMO_YEAR = 2027
DEMO_TITLE = "【演示数据】2027年部分节假日安排示例（非国务院正式通知）"
DEMO_NOTICE = """一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至12日（农历正月初七、周五）放假调休，共8天。1月31日（周日）、2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假1天，不调休。
六、中秋节：9月15日（周三）放假1天，不调休。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""
# The first working Monday after the demo year's New Year holiday: a PK that day shows a
# promised date moving when the year is entered (2026-12-31, an estimate → 2026-12-30).
NEW_YEAR_PK_START = datetime(2027, 1, 4, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai"))



def demo_pdf(code: str) -> bytes:
    """A one-page demo certificate (a real PDF, so the reviewer's preview shows a page): a
    header band, a few lines and a seal. Marked as demo data on the page."""
    import io

    from PIL import Image, ImageDraw

    page = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 595, 70), fill=(31, 78, 121))
    draw.text((40, 28), "DEMO DATA - QUALIFICATION DOCUMENT", fill="white")
    for row, line in enumerate([f"Document type: {code}", "Holder: demo merchant", "Issued by: demo authority",
                                "Valid until: 2028-12-31", "Not a real certificate."]):
        draw.text((60, 120 + row * 36), line, fill="black")
    draw.ellipse((380, 560, 520, 700), outline=(186, 33, 33), width=6)
    draw.text((415, 622), "DEMO SEAL", fill=(186, 33, 33))
    out = io.BytesIO()
    page.save(out, format="PDF")
    return out.getvalue()


def _uploads(filing: Filing) -> dict[int, ContentFile]:
    from shops.management.commands.seed_demo import demo_image

    uploads = {}
    for i, doc_type in enumerate(services.required_document_types(filing)):
        # Named as a merchant names the scan (食品经营许可证.pdf), not by the type's code: the name is shown.
        if i % 2 == 0:
            uploads[doc_type.pk] = ContentFile(demo_pdf(doc_type.code), name=f"{doc_type.name}.pdf")
        else:
            uploads[doc_type.pk] = demo_image((120, 120, 200))
            uploads[doc_type.pk].name = f"{doc_type.name}.png"
    return uploads


def _submit(filing: Filing) -> Filing:
    merchant = filing.product.shop.merchant
    return services.filing_submit(filing=filing, merchant=merchant, by=merchant.user, uploads=_uploads(filing)).filing


def _take_up(creator, product) -> Filing:
    """F6 as it happens: the specific creator adds the alliance product to the showcase. If a
    carry rule refuses it there, the task is opened the same way the signal would."""
    product.refresh_from_db()  # the world's copy may predate put_on_sale
    try:
        shop_services.showcase_add(creator=creator, product=product, by=creator.user)
    except ValidationError:
        services.filing_for_taken_up_product(creator=creator, product=product, by=creator.user)
    return Filing.objects.get(product=product, creator=creator)


def seed_demo(world: dict) -> None:
    reviewer = world["reviewer"]
    xiaoyu = world["creators"]["xiaoyu"]
    p = world["products"]

    def exists(key: str) -> bool:
        return Filing.objects.filter(product=p[key], creator=xiaoyu).exists()

    # F4 self-built, approved: 小鱼同款纯棉T恤 (apparel asks for no documents).
    if not exists("tee"):
        filing = services.filing_open(product=p["tee"], creator=xiaoyu, reason=Reason.SELF_BUILT)
        services.filing_approve(filing=_submit(filing), by=reviewer)

    # F4 self-built, under review with a document: 毛巾 (home goods need a brand authorisation).
    if not exists("towel"):
        filing = services.filing_open(product=p["towel"], creator=xiaoyu, reason=Reason.SELF_BUILT)
        _submit(filing)

    # F6 distribution, pending: 小鱼 picked 麻辣牛肉干 from the alliance.
    if not exists("chili"):
        _take_up(xiaoyu, p["chili"])

    # F6 distribution, not approved with the reviewer's reason: 玻尿酸精华液.
    if not exists("serum"):
        filing = _submit(_take_up(xiaoyu, p["serum"]))
        services.filing_reject(filing=filing, by=reviewer, reason="化妆品备案凭证与商品名称不一致，请核对后重新提交。")
        # AP1: the merchant appeals the rejection, open in the appeals queue for another reviewer (AP2).
        merchant = filing.product.shop.merchant
        filing_appeal_file(
            filing=filing, merchant=merchant, by=merchant.user,
            reason="备案凭证上的名称是该精华液的注册名，与商品标题的俗称为同一产品，附备案查询截图。",
            files=[ContentFile(demo_pdf("filing-record-query"), name="备案查询.pdf")],
        )

    # F12 revoked: 翡翠平安扣吊坠 was approved, then the filed facts proved untrue.
    if not exists("jade_pendant"):
        filing = services.filing_approve(filing=_submit(_take_up(xiaoyu, p["jade_pendant"])), by=reviewer)
        services.filing_revoke(filing=filing, by=reviewer, reason="报备的鉴定证书编号查询不到，撤销审核通过。")

    # F8 edited after approval → pending again with the reason 商品编辑: 修护面霜.
    if not exists("cream"):
        filing = services.filing_approve(filing=_submit(_take_up(xiaoyu, p["cream"])), by=reviewer)
        attributes = dict(p["cream"].attributes or {})
        attributes["规格"] = "50g 升级版"
        shop_services.product_update(product=p["cream"], by=p["cream"].shop.merchant.user, data={"attributes": attributes})

    # F5 PK: 川味零食 declares two products for 大鹏 × 小鱼; one already submitted.
    if not exists("hotpot"):
        snacks = world["merchants"]["snacks"]
        services.pk_declare(
            merchant=snacks, creators=[xiaoyu], products=[p["hotpot"], p["snack_box"]],
            session=world["sessions"]["dapeng_pk"], by=snacks.user,
        )
        _submit(Filing.objects.get(product=p["hotpot"], creator=xiaoyu))

    _seed_calendar(world)


def _seed_calendar(world: dict) -> None:
    """F9: platform staff keep the calendar (reviewers only read it); a PK on 4 January 2027
    is declared while 2027 is still an estimate, then staff enter the demo 2027."""
    keep = Permission.objects.filter(content_type__app_label="filings", codename__in=["add_calendaryear", "change_calendaryear", "delete_calendaryear"])
    for group in Group.objects.filter(name="Platform reviewers"):
        group.permissions.remove(*keep)

    if timezone.now() < NEW_YEAR_PK_START and not Filing.objects.filter(product=world["products"]["vitamin"], creator=world["creators"]["xiaoyu"]).exists():
        xiaoyu, dapeng = world["creators"]["xiaoyu"], world["creators"]["dapeng"]
        mine = LiveSession.objects.filter(creator=xiaoyu, title="小鱼新年开播专场").first() or shop_services.live_session_schedule(
            creator=xiaoyu, title="小鱼新年开播专场", scheduled_start=NEW_YEAR_PK_START
        )
        pk = LiveSession.objects.filter(creator=dapeng, title="大鹏 × 小鱼 新年PK").first() or shop_services.live_session_schedule(
            creator=dapeng, title="大鹏 × 小鱼 新年PK", scheduled_start=NEW_YEAR_PK_START, pk_partner=mine
        )
        merchant = world["merchants"]["global"]
        services.pk_declare(merchant=merchant, creators=[xiaoyu], products=[world["products"]["vitamin"]], session=pk, by=merchant.user)

    if not CalendarYear.objects.filter(year=DEMO_YEAR).exists():
        calendar_year_enter(
            year=DEMO_YEAR, days=parse_notice(DEMO_NOTICE, year=DEMO_YEAR), source_title=DEMO_TITLE,
            source_date=date(2026, 11, 1), by=world["ops"], reason="演示数据（seed_demo），非正式安排", is_demo=True,
        )
