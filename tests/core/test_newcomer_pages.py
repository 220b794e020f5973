"""Issue 26: what a newcomer met in the first ten minutes."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_api_docs_page_runs_no_inline_script_so_the_csp_lets_it_start(client):
    resp = client.get(reverse("api:docs"))
    assert resp.status_code == 200
    html = resp.content.decode()
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts), scripts
    assert 'src="/api/v1/docs/?script="' in html
    init = client.get(reverse("api:docs") + "?script")
    assert init.status_code == 200
    assert "SwaggerUIBundle" in init.content.decode()
    assert "/api/v1/schema/" in init.content.decode()


def test_a_new_creators_empty_sample_list_leads_to_the_marketplace_filtered_to_free_samples(creator_client):
    from tests import factories

    offer = factories.AllianceListingFactory(product__title="免费样品好物", sample_support=True)
    factories.AllianceListingFactory(product__title="不送样品的货", sample_support=False)
    page = creator_client.get(reverse("samples:creator_list")).content.decode()
    href = re.search(r'href="([^"]*marketplace/\?sample_support=[^"]*)"', page).group(1)
    market = creator_client.get(href.replace("&amp;", "&"))
    html = market.content.decode()
    assert market.status_code == 200
    assert "不在可用的选项中" not in html
    assert offer.product.title in html and "不送样品的货" not in html


@pytest.mark.parametrize("shop_type", ["flagship", "individual"])
def test_c4_the_marketplace_shows_an_official_account_the_platforms_own_words_where_the_showcase_button_was(client, shop_type):
    from shops.models import ShopType
    from tests.shops.helpers import alliance_product, official_account

    creator = official_account(ShopType(shop_type))
    product = alliance_product(product__title="别家面霜")
    client.force_login(creator.user)
    page = client.get(f"/creator/marketplace/{product.alliance_listing.pk}/").content.decode()
    assert '<strong data-testid="showcase-refusal">您的店铺类型暂不支持添加联盟商品，请添加自己店铺商品</strong>' in page
    assert "/creator/showcase/add/" not in page
    assert "你的官方账号不能带这件联盟商品" not in page


def test_a_count_rule_shows_what_it_counts_not_the_raw_count_unit(client):
    from core.models import RuleSetting
    from core.rules import ensure_rule_rows
    from tests import factories

    ensure_rule_rows()
    assert RuleSetting.objects.get(key="sample_score_floor").get_unit_display() == "分"
    assert RuleSetting.objects.get(key="fs_full_cap").get_unit_display() == "场"
    assert RuleSetting.objects.get(key="sample_decide").get_unit_display() == "小时"
    client.force_login(factories.StaffFactory(username="ops", is_superuser=True))
    page = client.get("/admin/core/rulesetting/").content.decode()
    assert ">8 分<" in page and ">20 场<" in page
    assert "个数" not in page
