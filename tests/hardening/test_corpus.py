"""The hostile corpus (tests/hardening/corpus/*.json) against every upload form, the text
fields shown again in the workspace, the admin and e-mail, and the forms that post ids.

For each input: never a 5xx; a refused input stores nothing; an accepted upload is stored
under <prefix>/<32 hex>.<ext of what its bytes are> whatever its name, and served with that
type; accepted text is rendered escaped on every page that shows it, and e-mailed as plain
text only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape

from core.models import Notification
from filings.models import QualificationDocument
from flashsales import services as fs_services
from flashsales.models import FlashSale, LiveComment, ProblemReport
from shops.models import Product, ProductImage
from tests import factories
from tests.filings.factories import FilingFactory
from tests.flashsales import conftest as flash_conftest
from tests.hardening.hostile import body

pytestmark = pytest.mark.django_db
world = flash_conftest.world

CORPUS = Path(__file__).parent / "corpus"
UPLOADS = json.loads((CORPUS / "uploads.json").read_text())["inputs"]
TEXTS = json.loads((CORPUS / "texts.json").read_text())["inputs"]
IDS = json.loads((CORPUS / "ids.json").read_text())["inputs"]
EXT = {"image": ("png", "jpg"), "video": ("mp4", "webm"), "pdf": ("pdf",)}
MARKUP = re.compile(r"[<>\"'&]")


def test_the_corpus_has_at_least_forty_hostile_inputs():
    assert len(UPLOADS) + len(TEXTS) + len(IDS) >= 40


# --- uploads ---------------------------------------------------------------------------------


class UploadForms:
    """The five upload forms, each posted as the role that owns it."""

    def __init__(self, world, merchant, shop):
        self.world, self.merchant, self.shop = world, merchant, shop
        self.creator = Client()
        self.creator.force_login(world["creator"].user)
        self.merchant_client = Client()
        self.merchant_client.force_login(merchant.user)
        self.doc_type = factories.DocumentTypeFactory(name="质检报告")
        self.category = factories.CategoryFactory()
        self.category.required_documents.add(self.doc_type)

    def targets(self):
        return [
            ("flash-sale picture", {"image"}, self.flash_sale),
            ("problem-report attachment", {"image", "video"}, self.report),
            ("product main image", {"image"}, self.main_image),
            ("product detail image", {"image"}, self.detail_image),
            ("qualification document", {"image", "pdf"}, self.document),
        ]

    def flash_sale(self, upload):
        before = set(FlashSale.objects.values_list("pk", flat=True))
        w = self.world
        resp = self.creator.post(f"/creator/flash-sales/sessions/{w['session'].pk}/", {
            "mode": "full", "product": w["product"].pk, "title": "手镯", "price": "10", "quantity": "1",
            "shipping_template": w["template"].pk, "picture": upload})
        new = FlashSale.objects.exclude(pk__in=before).first()
        return resp, new and (new.picture.name, f"/flash-sales/pictures/{new.pk}/")

    def report(self, upload):
        before = set(ProblemReport.objects.values_list("pk", flat=True))
        resp = self.creator.post("/creator/flash-sales/report/", {"description": "发不出去", "shop_id": self.shop.pk, "attachment": upload})
        new = ProblemReport.objects.exclude(pk__in=before).first()
        return resp, new and (new.attachment.name, f"/flash-sales/reports/{new.pk}/attachment/")

    def _product(self, **files):
        before = set(Product.objects.values_list("pk", flat=True))
        resp = self.merchant_client.post("/merchant/products/new/", {
            "shop": self.shop.pk, "title": "玉", "short_title": "玉", "category": factories.CategoryFactory().pk, "price": "1", "stock": "1", **files})
        return resp, Product.objects.exclude(pk__in=before).first()

    def main_image(self, upload):
        resp, new = self._product(main_image=upload)
        return resp, new and (new.main_image.name, f"/media/{new.main_image.name}")

    def detail_image(self, upload):
        resp, new = self._product(detail_images_upload=[upload])
        image = new and ProductImage.objects.filter(product=new).first()
        return resp, image and (image.image.name, f"/media/{image.image.name}")

    def document(self, upload):
        filing = FilingFactory(product__shop=self.shop, product__category=self.category, creator=factories.CreatorFactory(is_specific=True))
        resp = self.merchant_client.post(f"/merchant/filings/{filing.pk}/", {"acknowledge": "on", f"doc_{self.doc_type.pk}": upload})
        doc = QualificationDocument.objects.filter(filing=filing).first()
        return resp, doc and (doc.file.name, f"/filings/documents/{doc.pk}/")


@pytest.mark.hardening
def test_corpus_every_hostile_upload_on_every_upload_form(world, merchant, settings, hardening):
    shop = factories.ShopFactory(merchant=merchant)
    forms = UploadForms(world, merchant, shop)
    failures = []
    for entry in UPLOADS:
        settings.MAX_UPLOAD_BYTES = 20 if entry.get("oversize") else 5 * 1024 * 1024
        for target, accepts, post in forms.targets():
            upload = SimpleUploadedFile(entry["filename"], body(entry["file"]), content_type=entry["content_type"])
            resp, stored = post(upload)
            hardening.hostile()  # measured: one hostile file sent to one form
            where = f"{entry['id']} → {target}"
            if resp.status_code >= 500:
                failures.append(f"{where}: {resp.status_code}")
                continue
            should_store = entry["kind"] in accepts
            if bool(stored) != should_store:
                failures.append(f"{where}: stored={stored!r}, expected {'stored' if should_store else 'refused'}")
                continue
            if stored:
                name, url = stored
                exts = "|".join(EXT[entry["kind"]])
                if not re.fullmatch(rf"[a-z/]+/[0-9a-f]{{32}}\.({exts})", name):
                    failures.append(f"{where}: stored as {name!r}")
                client = forms.merchant_client if url.startswith(("/media/", "/filings/")) else forms.creator
                served = client.get(url)
                if served.status_code != 200 or "html" in served["Content-Type"] or served["X-Content-Type-Options"] != "nosniff":
                    failures.append(f"{where}: served {served.status_code} {served.get('Content-Type')}")
    assert failures == []


# --- text -------------------------------------------------------------------------------------


def text_of(entry) -> str:
    return entry["value"] * entry.get("repeat", 1)


def assert_escaped(html: str, value: str, where: str, failures: list):
    if MARKUP.search(value) and value in html:
        failures.append(f"{where}: the raw text is in the page")
    if escape(value) not in html:
        failures.append(f"{where}: the escaped text is not in the page")


@pytest.mark.hardening
def test_corpus_every_hostile_text_is_refused_or_rendered_escaped_in_workspace_admin_and_email(
    world, merchant, staff, django_capture_on_commit_callbacks, hardening,
):
    shop = factories.ShopFactory(merchant=merchant)
    merchant_client, creator_client, reviewer, room = Client(), Client(), Client(), Client()
    merchant_client.force_login(merchant.user)
    creator_client.force_login(world["creator"].user)
    reviewer.force_login(staff)
    world["creator"].user.email = "creator@example.com"
    world["creator"].user.save()
    session, viewer = world["session"], world["viewer"]
    failures = []
    for entry in TEXTS:
        value, refused = text_of(entry), entry.get("refused", False)
        # Pages that list every row show only this input's (an earlier input, escaped, can
        # equal a later one's raw text: "&lt;script&gt;").
        ProblemReport.objects.all().delete()
        Notification.objects.all().delete()
        LiveComment.objects.all().delete()
        # 1. A product title: the merchant's product page and the reviewers' admin page.
        before = Product.objects.count()
        resp = merchant_client.post("/merchant/products/new/", {
            "shop": shop.pk, "title": value, "category": factories.CategoryFactory().pk, "price": "1", "stock": "1"})
        hardening.hostile()
        product = Product.objects.order_by("-pk").first() if Product.objects.count() > before else None
        if resp.status_code >= 500 or bool(product) == refused:
            failures.append(f"{entry['id']} → product title: {resp.status_code}, stored={bool(product)}")
        elif product:
            assert_escaped(merchant_client.get(f"/merchant/products/{product.pk}/").content.decode(), value, f"{entry['id']} → product page", failures)
            assert_escaped(reviewer.get(f"/admin/shops/product/{product.pk}/change/").content.decode(), value, f"{entry['id']} → product admin", failures)
        # 2. A problem report's description: the creator's report page, the admin; the
        #    reviewer's answer with the same text: the in-app message and a plain-text e-mail.
        before = ProblemReport.objects.count()
        resp = creator_client.post("/creator/flash-sales/report/", {
            "description": value, "shop_id": shop.pk, "attachment": SimpleUploadedFile("s.png", body("png"), content_type="image/png")})
        hardening.hostile()
        report = ProblemReport.objects.order_by("-pk").first() if ProblemReport.objects.count() > before else None
        if resp.status_code >= 500 or bool(report) == refused:
            failures.append(f"{entry['id']} → report description: {resp.status_code}, stored={bool(report)}")
        elif report:
            assert_escaped(creator_client.get("/creator/flash-sales/report/").content.decode(), value, f"{entry['id']} → report page", failures)
            assert_escaped(reviewer.get(f"/admin/flashsales/problemreport/{report.pk}/change/").content.decode(), value, f"{entry['id']} → report admin", failures)
            mail.outbox.clear()
            with django_capture_on_commit_callbacks(execute=True):  # the e-mail goes after commit
                fs_services.problem_report_answer(report=report, by=staff, reply=value)
            assert_escaped(creator_client.get("/notifications/").content.decode(), value, f"{entry['id']} → notifications", failures)
            sent = mail.outbox[-1]
            if value not in sent.body or getattr(sent, "alternatives", []) or sent.content_subtype != "plain":
                failures.append(f"{entry['id']} → e-mail is not the plain text")
        # 3. A live comment: the live room.
        before = LiveComment.objects.count()
        resp = room.post(f"/live/{session.pk}/comment/", {"viewer": viewer.token, "text": value})
        hardening.hostile()
        stored = LiveComment.objects.count() > before
        if resp.status_code >= 500 or stored == refused:
            failures.append(f"{entry['id']} → live comment: {resp.status_code}, stored={stored}")
        elif stored:
            assert_escaped(room.get(f"/live/{session.pk}/", {"viewer": viewer.token}).content.decode(), value.strip(), f"{entry['id']} → live room", failures)
    assert failures == []


# --- ids --------------------------------------------------------------------------------------


@pytest.mark.hardening
def test_corpus_every_tampered_id_is_a_400_or_404_and_changes_nothing(world, merchant, hardening):
    creator_client, merchant_client = Client(), Client()
    creator_client.force_login(world["creator"].user)
    merchant_client.force_login(merchant.user)
    session = factories.LiveSessionFactory(creator=world["creator"])
    posts = [
        (creator_client, "/creator/showcase/add/", "product"),
        (creator_client, f"/creator/sessions/{session.pk}/cart/add/", "product"),
        (creator_client, "/creator/videos/publish/", "products"),
        (merchant_client, "/merchant/samples/bulk/", "ids"),
        (merchant_client, "/merchant/alliance/remove/", "products"),
    ]
    failures = []
    for entry in IDS:
        for client, url, field in posts:
            data = {field: entry["value"], "title": "开箱", "action": "approve"}
            resp = client.post(url, data)
            hardening.hostile()
            if resp.status_code >= 500 or (resp.status_code not in (400, 404) and entry["value"] != ""):
                failures.append(f"{entry['id']} → {url}: {resp.status_code}")
    assert failures == []
    assert not session.cart_items.exists() and not world["creator"].videos.exists()
