"""Issue 26: on a phone the 样品回报 table's money columns sat off-screen: the table becomes
cards below 768 px, each figure on its own line with its column's name."""

import re

import pytest

from tests.samples.test_views_returns import _pair_with_sales

pytestmark = pytest.mark.django_db


def test_the_returns_table_is_cards_on_a_phone_with_every_money_figure_labelled(client):
    sample = _pair_with_sales(video_sales=1, flash_orders=1)
    client.force_login(sample.merchant.user)
    html = client.get("/merchant/samples/returns/").content.decode()
    table = re.search(r'<table class="([^"]*)" data-testid="returns">', html).group(1).split()
    assert "table-cards" in table
    labels = re.findall(r'<td class="[^"]*" data-label="([^"]+)">', html)
    assert labels == ["已发送", "成本", "直播购物车", "视频", "闪购", "订单", "销售额", "销售额/成本"], labels
