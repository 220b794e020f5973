"""Merchant and creator pages in the browser's terms: forms, uploads, sessions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shops.models import LiveSession, Product
from tests import factories

pytestmark = pytest.mark.django_db


def product_post(shop, category, **extra):
    data = {"shop": shop.pk, "title": "和田玉手镯", "short_title": "手镯", "category": category.pk, "price": "2680", "stock": "5",
            "attributes_text": "材质: 和田玉\n产地：新疆"}
    data.update(extra)
    return data


def test_merchant_creates_a_product_with_images(merchant_client, shop, png_upload):
    cat = factories.CategoryFactory()
    resp = merchant_client.post("/merchant/products/new/", product_post(shop, cat, main_image=png_upload(), detail_images_upload=[png_upload("a.png"), png_upload("b.png")]))
    assert resp.status_code == 302
    product = Product.objects.get()
    assert product.attributes == {"材质": "和田玉", "产地": "新疆"}
    assert product.main_image.name.startswith("products/") and product.detail_images.count() == 2


def test_an_upload_that_is_not_an_image_is_refused_by_content(merchant_client, shop):
    cat = factories.CategoryFactory()
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 not an image", content_type="image/png")
    resp = merchant_client.post("/merchant/products/new/", product_post(shop, cat, main_image=fake))
    assert resp.status_code == 200
    assert not Product.objects.exists()
    body = resp.content.decode()
    assert "和田玉手镯" in body  # what was typed is kept


def test_an_oversized_upload_is_refused(merchant_client, shop, png_upload, settings):
    settings.MAX_UPLOAD_BYTES = 10
    resp = merchant_client.post("/merchant/products/new/", product_post(shop, factories.CategoryFactory(), main_image=png_upload()))
    assert resp.status_code == 200 and not Product.objects.exists()


def test_a_merchant_cannot_create_in_another_merchants_shop(merchant_client):
    other = factories.ShopFactory()
    resp = merchant_client.post("/merchant/products/new/", product_post(other, factories.CategoryFactory()))
    assert resp.status_code == 200 and not Product.objects.exists()


def test_merchant_lists_a_product_and_switches_samples(merchant_client, shop):
    product = factories.ProductFactory(shop=shop)
    resp = merchant_client.post(f"/merchant/products/{product.pk}/alliance/", {"commission_rate": "20", "sample_support": "on"})
    assert resp.status_code == 302
    product.refresh_from_db()
    assert product.alliance_listing.sample_support is True
    merchant_client.post(f"/merchant/products/{product.pk}/samples-switch/", {"enabled": "0"})
    product.alliance_listing.refresh_from_db()
    assert product.alliance_listing.sample_support is False


def test_creator_schedules_goes_live_adds_and_removes(creator_client, creator):
    start = (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")  # within the coming year
    resp = creator_client.post("/creator/sessions/new/", {"title": "周末专场", "scheduled_start": start})
    assert resp.status_code == 302
    session = LiveSession.objects.get(creator=creator)
    product = factories.AllianceListingFactory(product__price=Decimal("39")).product
    creator_client.post(f"/creator/sessions/{session.pk}/cart/add/", {"product": product.pk})
    assert session.cart_items.count() == 1
    creator_client.post(f"/creator/sessions/{session.pk}/transition/", {"action": "go_live"})
    session.refresh_from_db()
    assert session.status == "live"
    item = session.cart_items.get()
    creator_client.post(f"/creator/sessions/{session.pk}/cart/{item.pk}/", {"action": "remove"})
    item.refresh_from_db()
    assert item.removed_at is not None


def test_creator_sees_a_refusal_message_when_adding_is_refused(creator_client, creator):
    session = factories.LiveSessionFactory(creator=creator)
    product = factories.AllianceListingFactory().product
    creator_client.post(f"/creator/sessions/{session.pk}/cart/add/", {"product": product.pk})
    resp = creator_client.post(f"/creator/sessions/{session.pk}/cart/add/", {"product": product.pk}, follow=True)
    assert "已在购物车" in resp.content.decode()


def test_creator_showcase_add_and_video_publish(creator_client, creator):
    product = factories.AllianceListingFactory().product
    creator_client.post("/creator/showcase/add/", {"product": product.pk})
    assert creator.showcase_items.count() == 1
    creator_client.post("/creator/videos/publish/", {"title": "开箱", "products": [product.pk]})
    assert creator.videos.get().cart_items.count() == 1


def test_s2_the_product_page_shows_who_switched_samples_and_when(client):
    listing = factories.AllianceListingFactory()
    merchant_user = listing.product.shop.merchant.user
    merchant_user.first_name = "店长小李"
    merchant_user.save()
    client.force_login(merchant_user)
    page = f"/merchant/products/{listing.product_id}/"
    assert 'data-testid="sample-switch-record"' not in client.get(page).content.decode()
    client.post(f"/merchant/products/{listing.product_id}/samples-switch/", {"enabled": "0"})
    html = client.get(page).content.decode()
    assert 'data-testid="sample-switch-record"' in html
    assert "店长小李" in html and "关闭了免费申样" in html
