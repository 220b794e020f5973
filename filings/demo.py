"""Demo filings (报备) in every state, on top of seed_core's world. Idempotent: each step
looks its filing up by (product, linked creator) and only acts when it is missing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from filings import services
from filings.models import Filing, Reason
from shops import services as shop_services

DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _uploads(filing: Filing) -> dict[int, ContentFile]:
    from shops.management.commands.seed_demo import demo_image

    uploads = {}
    for i, doc_type in enumerate(services.required_document_types(filing)):
        if i % 2 == 0:
            uploads[doc_type.pk] = ContentFile(DEMO_PDF, name=f"{doc_type.code}.pdf")
        else:
            uploads[doc_type.pk] = demo_image((120, 120, 200))
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
