"""The world the access matrix walks: merchant A and creator A own one of everything a URL
can point at; merchant B and creator B are other people of the same roles; creator C is a
third party (the specific creator of A's filing, blocked by A). Text only A's side may see
carries a SECRET marker, and no response to anyone else may contain one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from core.notifications import notify
from tests import factories
from tests.conftest import pdf_with_pages, png_bytes

SECRET = "甲方机密"


@dataclass
class World:
    users: dict  # role name -> User (None for anonymous)
    kwargs: dict  # URL name -> the kwargs that point at A's object
    secrets: list[str]


def build_world() -> World:
    from filings.models import QualificationDocument
    from flashsales.models import ProblemReport
    from samples.services import extensions, requests
    from samples.services.policy import creator_block, sample_quota_set, triage_rule_create
    from shops import services as shop_services
    from shops.alliance_removal import services as removal_services
    from tests.filings.factories import FilingFactory
    from tests.flashsales import factories as ff
    from tests.samples.factories import address_for, eligible_product, received_at

    now = timezone.now()
    merchant_a = ff.StandardMerchantFactory()
    shop_a = factories.ShopFactory(merchant=merchant_a, name="甲店")
    creator_a = ff.InvitedCreatorFactory(nickname="甲达人")
    creator_c = factories.CreatorFactory(is_specific=True, nickname="丙达人")
    merchant_b = factories.MerchantFactory()
    factories.ProductFactory(shop=factories.ShopFactory(merchant=merchant_b), title="乙的商品")
    creator_b = ff.InvitedCreatorFactory(nickname="乙达人")
    staff = factories.StaffFactory()

    secret_product = factories.ProductFactory(shop=shop_a, title=f"{SECRET}商品", short_title="机密")
    listed = eligible_product(shop=shop_a, title="甲的联盟商品")
    listed_2 = eligible_product(shop=shop_a, title="甲的另一联盟商品")
    leaving = eligible_product(shop=shop_a, title="甲的将下架商品")

    filing = FilingFactory(product=secret_product, creator=creator_c)
    pdf = pdf_with_pages(1)
    document = QualificationDocument(filing=filing, original_name="licence.pdf", content_type="application/pdf", size=len(pdf))
    document.file.save("upload.pdf", ContentFile(pdf), save=False)
    document.save()

    address = address_for(creator_a, name=f"{SECRET}收件人")  # the request ships here (S1 needs an address)
    sample = requests.sample_request_create(creator=creator_a, product=listed, by=creator_a.user, note=f"{SECRET}备注")
    received = received_at(now, creator=creator_a, product=listed_2)
    extensions.sample_extension_request(sample=received, by=creator_a.user, reason=f"{SECRET}延期理由")
    sample_quota_set(product=listed, by=merchant_a.user, limit=50)
    rule = triage_rule_create(merchant=merchant_a, by=merchant_a.user, name=f"{SECRET}规则", action="approve", product=listed, min_followers=1)
    block = creator_block(merchant=merchant_a, creator=creator_c, reason=f"{SECRET}拉黑理由", by=merchant_a.user)
    removal = removal_services.alliance_removal_create(product=leaving, by=merchant_a.user, at=now + timedelta(days=2))

    session = ff.LiveSessionFactory(creator=creator_a)  # live: its room is public
    item = shop_services.cart_add(session=session, product=listed, by=creator_a.user)
    showcase = shop_services.showcase_add(creator=creator_a, product=listed, by=creator_a.user)
    flash_sale = ff.FlashSaleFactory(session=session, shipping_template=ff.ShippingTemplateFactory(creator=creator_a, name=f"{SECRET}运费模板"))
    report = ProblemReport.objects.create(
        reporter=merchant_a.user, desk=ProblemReport.Desk.MERCHANT_SERVICE, shop=shop_a, creator=creator_a,
        description=f"{SECRET}问题描述", attachment=ContentFile(png_bytes(), name="shot.png"), attachment_kind=ProblemReport.AttachmentKind.IMAGE,
    )

    # AP1: A's rejected filing appealed with evidence (A's merchant and the reviewers see the
    # file), and creator A's breached request appealed with evidence (both parties see it).
    from django.core.files.uploadedfile import SimpleUploadedFile

    from filings import services as filing_services
    from filings.appeals import services as filing_appeals
    from filings.models import Filing
    from samples.services import appeals as sample_appeals
    from tests.filings.factories import set_state
    from tests.samples.factories import outcome

    rejected = set_state(FilingFactory(product=factories.ProductFactory(shop=shop_a, title="甲的被驳回商品"), creator=creator_c),
                         Filing.State.UNDER_REVIEW, submitted_at=now - timedelta(hours=2))
    rejected = filing_services.filing_reject(filing=rejected, by=staff, reason="授权书缺失")
    filing_appeal = filing_appeals.filing_appeal_file(
        filing=rejected, merchant=merchant_a, by=merchant_a.user, reason=f"{SECRET}申诉理由",
        files=[SimpleUploadedFile("proof.png", png_bytes(), content_type="image/png")])
    breached = outcome("breached", now - timedelta(hours=1), creator=creator_a, product=eligible_product(shop=shop_a, title="甲的违约商品"))
    sample_appeal = sample_appeals.sample_appeal_file(
        sample=breached, by=creator_a.user, reason=f"{SECRET}达人申诉",
        files=[SimpleUploadedFile("proof.png", png_bytes(), content_type="image/png")])

    kwargs = {
        "filings:merchant_appeal": {"pk": rejected.pk},
        "filings:merchant_appeal_withdraw": {"pk": rejected.pk},
        "filings:appeal_evidence": {"pk": filing_appeal.evidence.get().pk},
        "samples:creator_appeal": {"pk": breached.pk},
        "samples:creator_appeal_withdraw": {"pk": breached.pk},
        "samples:appeal_evidence": {"pk": sample_appeal.evidence.get().pk},
        "filings:merchant_detail": {"pk": filing.pk},
        "filings:merchant_withdraw": {"pk": filing.pk},
        "filings:document": {"pk": document.pk}, "filings:document_preview": {"pk": document.pk, "page": 1},
        "merchant:product_detail": {"pk": secret_product.pk},
        "merchant:product_edit": {"pk": secret_product.pk},
        "merchant:product_sale": {"pk": secret_product.pk},
        "merchant:product_alliance": {"pk": secret_product.pk},
        "merchant:sample_switch": {"pk": listed.pk},
        "merchant:shop_type_change": {"pk": shop_a.pk},
        "merchant:shop_close": {"pk": shop_a.pk},
        "merchant:alliance_removal_cancel": {"pk": removal.pk},
        "merchant:alliance_removal_announce": {"pk": removal.pk},
        "creator:marketplace_detail": {"pk": listed.alliance_listing.pk},
        "creator:showcase_remove": {"pk": showcase.pk},
        "creator:session_detail": {"pk": session.pk},
        "creator:session_transition": {"pk": session.pk},
        "creator:cart_add": {"pk": session.pk},
        "creator:cart_item_action": {"pk": session.pk, "item_pk": item.pk},
        "flashsales:console": {"pk": session.pk},
        "flashsales:end": {"pk": flash_sale.pk},
        "flashsales:picture": {"pk": flash_sale.pk},
        "flashsales:report_attachment": {"pk": report.pk},
        "flashsales:live_room": {"pk": session.pk},
        "flashsales:live_join": {"pk": session.pk},
        "flashsales:live_comment": {"pk": session.pk},
        "flashsales:live_buy": {"pk": session.pk, "sale_pk": flash_sale.pk},
        "flashsales:live_inbox_read": {"pk": session.pk},
        "samples:creator_request": {"product_pk": listed.pk},
        "samples:merchant_quota_set": {"product_pk": listed.pk},
        "samples:merchant_rule_switch": {"pk": rule.pk},
        "samples:merchant_block_lift": {"pk": block.pk},
    }
    # 批量发货 (issue 24): A's upload, with a refused row (its file of refused rows exists)
    from samples.services.ship_sheet import ShipRow, ship_sheet_upload

    ship_sheet = ship_sheet_upload(merchant=merchant_a, by=merchant_a.user, kind="xlsx", file_name=f"{SECRET}.xlsx",
                                   rows=[ShipRow(line=2, raw_id=str(sample.pk), carrier="sf", tracking_number=f"{SECRET}")])
    kwargs["samples:merchant_ship_sheet_result"] = kwargs["samples:merchant_ship_sheet_refused"] = {"pk": ship_sheet.pk}
    note = notify(user=merchant_a.user, title=f"{SECRET}通知", url="/merchant/")
    kwargs["notification_open"] = {"pk": note.pk}
    kwargs["creator:session_transition_confirm"] = {"pk": session.pk, "action": "end"}
    kwargs["samples:creator_receive_confirm"] = {"pk": received.pk}
    for name in ("creator_address_edit", "creator_address_default", "creator_address_delete"):
        kwargs[f"samples:{name}"] = {"pk": address.pk}
    for name in ("creator_detail", "creator_withdraw", "merchant_detail", "merchant_decide", "merchant_ship"):
        kwargs[f"samples:{name}"] = {"pk": sample.pk}
    for name in ("creator_receive", "creator_promote", "creator_extension", "creator_not_arrived", "merchant_extension", "merchant_reship"):
        kwargs[f"samples:{name}"] = {"pk": received.pk}

    # T1: merchant A's team: one member per role, an operations member limited to another shop
    # of A's, and a removed member.
    from shops import team_services
    from shops.models import Role

    other_shop = factories.ShopFactory(merchant=merchant_a, name="甲的二店")
    team = {}
    for role in Role.values:
        team[f"member_{role}"] = team_services.member_add(merchant=merchant_a, by=merchant_a.user, login=f"a_{role}", name=f"甲{role}",
                                                          role=role).member
    team["member_ops_other_shop"] = team_services.member_add(merchant=merchant_a, by=merchant_a.user, login="a_ops_shop2", name="甲二店运营",
                                                             role=Role.OPS, shop_ids=[other_shop.pk]).member
    gone = team_services.member_add(merchant=merchant_a, by=merchant_a.user, login="a_gone", name="甲已移除", role=Role.OPS).member
    team["member_removed"] = team_services.member_remove(member=gone, by=merchant_a.user)
    kwargs["merchant:team_member"] = {"pk": team["member_readonly"].pk}
    kwargs["merchant:team_member_remove"] = {"pk": team["member_readonly"].pk}

    users = {
        "anonymous": None, "merchant_a": merchant_a.user, "merchant_b": merchant_b.user,
        "creator_a": creator_a.user, "creator_b": creator_b.user, "staff": staff,
        **{name: member.user for name, member in team.items()},
    }
    return World(users=users, kwargs=kwargs, secrets=[SECRET])
