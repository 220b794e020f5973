"""T1–T3 in the browser: the owner builds a team on the team page; a 发货 member sees only its
sample pages, ships, and is refused (in Chinese) when it opens product editing."""

from __future__ import annotations

import pytest

from shops.models import Member, Role
from tests import factories
from tests.samples import factories as sf

pytestmark = pytest.mark.django_db(transaction=True)


def test_journey_t1_owner_adds_a_shipping_member_who_ships_and_cannot_edit_products(journey):
    sample = sf.approved_at(sf.T0)  # S5: its clocks run from T0; the journey ships within them
    merchant = sample.merchant
    with sf.travel(sf.T0 + sf.H):
        owner = journey(merchant.user)
        owner.open("/merchant/team/")
        owner.page.fill("input[name=login]", factories.UserFactory(username="xiaowang").username)
        owner.page.fill("input[name=name]", "小王")
        owner.page.select_option("select[name=role]", Role.SHIPPING)
        owner.submit("main form button[type=submit]:has-text('添加')")
        assert "小王 已加入团队" in owner.text()
        assert Member.objects.get(user__username="xiaowang").role == Role.SHIPPING
        owner.check("team page")
        owner.screens("team-page")

        member = journey(factories.UserFactory(username="xiaowang"))
        links = member.page.eval_on_selector_all("nav a[href]", "els => els.map(e => e.getAttribute('href'))")
        assert "/merchant/samples/" in links
        assert "/merchant/products/" not in links and "/merchant/team/" not in links
        member.open(f"/merchant/samples/{sample.pk}/")
        assert "审核通过" not in member.text("main")  # no decision buttons for 发货
        member.page.select_option("select[name=carrier]", "sf")
        member.page.fill("input[name=tracking_number]", "SF123456789012")
        member.submit("[data-testid=ship-form] button")
        assert "已发货" in member.text("main")
        member.check("shipping member's sample page")
        member.open(f"/merchant/products/{sample.product.pk}/edit/")
        refusal = member.text("main")
        assert "只有主账号和运营成员可以管理商品和精选联盟" in refusal
        member.check("refused product editing")
        member.screens("shipping-member-refused")
    history = sample.product.shop.name + " · 小王"
    with sf.travel(sf.T0 + sf.H):
        page = journey(merchant.user).open(f"/merchant/samples/{sample.pk}/")
        assert history in page.text("main")  # T2
