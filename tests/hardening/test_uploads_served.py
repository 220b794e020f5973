"""Holes 1, 2 and 8: every upload is typed by its bytes, stored under a random name with the
sniffed extension, and served with that type stated, nosniff, and as a download unless an
image; a decompression bomb is a form error; a targeted flash sale's picture is private.

Before the fix a PNG named poly.html was stored as <random>.html and served as text/html,
an attachment named a.html ran script in the reviewer's session, a file whose bytes 4–8
said "ftyp" (any brand) passed as a video, and a targeted picture answered anyone."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings import services as filing_services
from filings.models import QualificationDocument
from flashsales import texts as fs_texts
from flashsales.models import FlashSale, ProblemReport
from shops.models import Product
from tests import factories
from tests.filings.factories import FilingFactory
from tests.flashsales import conftest as flash_conftest
from tests.flashsales import factories as ff
from tests.hardening.hostile import body

pytestmark = pytest.mark.django_db

world = flash_conftest.world  # the flash-sale world fixture, used here too


def up(name: str, key: str, content_type: str = "text/html") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body(key), content_type=content_type)


def assert_served_as(resp, mime: str, *, attachment: bool):
    assert resp.status_code == 200
    assert resp["Content-Type"] == mime
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp.get("Content-Disposition", "").startswith("attachment") is attachment


# --- flash-sale pictures and problem-report attachments ------------------------------------


@pytest.fixture
def live(world, client):
    client.force_login(world["creator"].user)
    world["client"] = client
    return world


def console_post(world, **extra):
    data = {
        "mode": "full", "product": world["product"].pk, "title": "羊脂白玉手镯", "price": "1999.00", "quantity": "3",
        "shipping_template": world["template"].pk,
    }
    data.update(extra)
    return world["client"].post(f"/creator/flash-sales/sessions/{world['session'].pk}/", data)


@pytest.mark.hardening
def test_hole1_a_png_polyglot_named_html_is_stored_and_served_as_a_png(live, client, hardening):
    resp = console_post(live, picture=up("poly.html", "png_polyglot"))
    assert resp.status_code == 302
    sale = FlashSale.objects.get()
    assert sale.picture.name.startswith("flashsales/pictures/") and sale.picture.name.endswith(".png")
    assert "poly" not in sale.picture.name
    client.logout()
    assert_served_as(client.get(f"/flash-sales/pictures/{sale.pk}/"), "image/png", attachment=False)
    hardening.hostile()


@pytest.mark.hardening
@pytest.mark.parametrize("key", ["svg_script", "html", "gif"])
def test_hole1_svg_html_and_other_types_are_never_a_flash_sale_picture(live, key, hardening):
    resp = console_post(live, picture=up("x.png", key, "image/png"))
    assert resp.status_code == 422 and not FlashSale.objects.exists()
    assert "JPEG、PNG" in resp.content.decode()
    hardening.hostile()


def report_post(client, shop, attachment):
    return client.post("/creator/flash-sales/report/", {"description": "发不出去", "shop_id": shop.pk, "attachment": attachment})


@pytest.mark.hardening
def test_hole1_an_attachment_named_html_is_a_png_download_for_the_reviewer(creator_client, client, staff, hardening):
    shop = factories.ShopFactory()
    assert report_post(creator_client, shop, up("a.html", "png_polyglot")).status_code == 302
    report = ProblemReport.objects.get()
    assert report.attachment.name.endswith(".png") and report.attachment_kind == "image"
    client.force_login(staff)
    resp = client.get(reverse("flashsales:report_attachment", args=[report.pk]))
    assert_served_as(resp, "image/png", attachment=False)
    hardening.hostile()


@pytest.mark.hardening
@pytest.mark.parametrize("key", ["ftyp_only", "matroska_not_webm", "html", "svg_script"])
def test_hole1_an_attachment_is_a_real_screenshot_or_video_not_four_magic_bytes(creator_client, key, hardening):
    resp = report_post(creator_client, factories.ShopFactory(), up("rec.mp4", key, "video/mp4"))
    assert resp.status_code == 422 and not ProblemReport.objects.exists()
    from tests.flashsales.test_views import zh

    assert zh(fs_texts.ATTACHMENT_NOT_MEDIA) in resp.content.decode()
    hardening.hostile()


def test_hole1_a_video_attachment_is_served_as_mp4_and_as_a_download(creator_client):
    assert report_post(creator_client, factories.ShopFactory(), up("rec.html", "mp4")).status_code == 302
    report = ProblemReport.objects.get()
    assert report.attachment.name.endswith(".mp4") and report.attachment_kind == "video"
    assert_served_as(creator_client.get(f"/flash-sales/reports/{report.pk}/attachment/"), "video/mp4", attachment=True)


# --- product pictures ----------------------------------------------------------------------


def product_post(shop, **extra):
    data = {"shop": shop.pk, "title": "和田玉手镯", "short_title": "手镯", "category": factories.CategoryFactory().pk, "price": "2680", "stock": "5"}
    data.update(extra)
    return data


@pytest.mark.hardening
def test_hole1_product_images_named_html_are_stored_and_served_as_pngs(merchant_client, shop, client, hardening):
    resp = merchant_client.post(
        "/merchant/products/new/",
        product_post(shop, main_image=up("x.html", "png_polyglot"), detail_images_upload=[up("d.html", "png_polyglot")]),
    )
    assert resp.status_code == 302
    product = Product.objects.get()
    names = [product.main_image.name, product.detail_images.get().image.name]
    assert all(n.startswith("products/") and n.endswith(".png") and "html" not in n for n in names)
    client.logout()
    for name in names:
        assert_served_as(client.get(f"/media/{name}"), "image/png", attachment=False)
    hardening.hostile(len(names))


@pytest.mark.hardening
@pytest.mark.parametrize("field", ["main_image", "detail_images_upload"])
def test_hole1_an_svg_is_never_a_product_image(merchant_client, shop, field, hardening):
    resp = merchant_client.post("/merchant/products/new/", product_post(shop, **{field: up("x.svg", "svg_script", "image/svg+xml")}))
    assert resp.status_code == 200 and not Product.objects.exists()
    hardening.hostile()


# --- qualification documents ---------------------------------------------------------------


@pytest.fixture
def filing_with_doc_type(merchant):
    doc_type = factories.DocumentTypeFactory(name="质检报告")
    category = factories.CategoryFactory()
    category.required_documents.add(doc_type)
    creator = factories.CreatorFactory(is_specific=True)
    return FilingFactory(product__shop__merchant=merchant, product__category=category, creator=creator), doc_type


@pytest.mark.hardening
def test_hole1_a_pdf_named_html_is_stored_as_pdf_and_served_as_a_pdf_download(merchant_client, merchant, filing_with_doc_type, hardening):
    filing, doc_type = filing_with_doc_type
    filing_services.filing_submit(filing=filing, merchant=merchant, by=None, uploads={doc_type.pk: up("licence.html", "pdf")})
    doc = QualificationDocument.objects.get()
    assert doc.file.name.startswith("filings/") and doc.file.name.endswith(".pdf") and doc.original_name == "licence.html"
    resp = merchant_client.get(reverse("filings:document", args=[doc.pk]))
    assert_served_as(resp, "application/pdf", attachment=True)
    hardening.hostile()


@pytest.mark.hardening
@pytest.mark.parametrize("key", ["pdf_with_html_head", "svg_script"])
def test_hole1_markup_is_never_a_qualification_document(merchant_client, filing_with_doc_type, key, hardening):
    filing, doc_type = filing_with_doc_type
    resp = merchant_client.post(
        f"/merchant/filings/{filing.pk}/", {"acknowledge": "on", f"doc_{doc_type.pk}": up("report.pdf", key, "application/pdf")}
    )
    assert resp.status_code in (200, 422) and not QualificationDocument.objects.exists()
    assert "PDF" in resp.content.decode()
    hardening.hostile()


# --- hole 2: a decompression bomb is a form error on every upload form ---------------------


@pytest.mark.hardening
def test_hole2_a_bomb_is_a_form_error_on_the_flash_sale_console(live, hardening):
    resp = console_post(live, picture=up("b.png", "png_bomb", "image/png"))
    assert resp.status_code == 422 and "像素" in resp.content.decode() and not FlashSale.objects.exists()
    hardening.hostile()


@pytest.mark.hardening
def test_hole2_a_bomb_is_a_form_error_on_the_problem_report(creator_client, hardening):
    resp = report_post(creator_client, factories.ShopFactory(), up("b.png", "png_bomb", "image/png"))
    assert resp.status_code == 422 and "像素" in resp.content.decode() and not ProblemReport.objects.exists()
    hardening.hostile()


@pytest.mark.hardening
@pytest.mark.parametrize("field", ["main_image", "detail_images_upload"])
def test_hole2_a_bomb_is_a_form_error_on_the_product_form(merchant_client, shop, field, hardening):
    resp = merchant_client.post("/merchant/products/new/", product_post(shop, **{field: up("b.png", "png_bomb", "image/png")}))
    assert resp.status_code == 200 and not Product.objects.exists()
    assert "像素" in resp.content.decode() or "图片" in resp.content.decode()
    hardening.hostile()


@pytest.mark.hardening
def test_hole2_a_bomb_is_a_form_error_on_the_qualification_form(merchant_client, filing_with_doc_type, hardening):
    filing, doc_type = filing_with_doc_type
    resp = merchant_client.post(
        f"/merchant/filings/{filing.pk}/", {"acknowledge": "on", f"doc_{doc_type.pk}": up("b.png", "png_bomb", "image/png")}
    )
    assert resp.status_code in (200, 422) and "像素" in resp.content.decode()
    assert not QualificationDocument.objects.exists()
    hardening.hostile()


# --- hole 8: a targeted flash sale's picture ------------------------------------------------


@pytest.mark.hardening
def test_hole8_a_targeted_pictures_is_seen_by_its_viewer_creator_and_staff_only(client, staff, hardening):
    viewer = ff.ViewerFactory()
    sale = ff.FlashSaleFactory(mode=FlashSale.Mode.TARGETED, target_viewer=viewer)
    url = f"/flash-sales/pictures/{sale.pk}/"
    assert client.get(url).status_code == 404  # anonymous
    assert client.get(url, {"viewer": ff.ViewerFactory().token}).status_code == 404  # another viewer
    client.force_login(factories.CreatorFactory().user)
    assert client.get(url).status_code == 404  # another creator
    client.force_login(factories.MerchantFactory().user)
    assert client.get(url).status_code == 404
    client.logout()
    assert_served_as(client.get(url, {"viewer": viewer.token}), "image/png", attachment=False)
    client.force_login(sale.session.creator.user)
    assert client.get(url).status_code == 200
    client.force_login(staff)
    assert client.get(url).status_code == 200
    hardening.hostile()


def test_hole8_a_full_sales_picture_stays_public_and_the_room_links_the_targeted_one_with_the_token(client):
    full = ff.FlashSaleFactory()
    assert client.get(f"/flash-sales/pictures/{full.pk}/").status_code == 200
    viewer = ff.ViewerFactory()
    targeted = ff.FlashSaleFactory(session=full.session, mode=FlashSale.Mode.TARGETED, target_viewer=viewer, shipping_template=full.shipping_template)
    html = client.get(f"/live/{full.session.pk}/", {"viewer": viewer.token}).content.decode()
    assert f"/flash-sales/pictures/{targeted.pk}/?viewer={viewer.token}" in html


def test_hole1_the_product_admin_checks_pictures_by_their_bytes_too(rf, staff):
    from django.contrib import admin

    from core.uploads import UploadField

    request = rf.get("/admin/")
    request.user = staff
    form = admin.site._registry[Product].get_form(request)
    assert isinstance(form.base_fields["main_image"], UploadField)
