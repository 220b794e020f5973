"""批量发货 in the browser (issue 24): the merchant downloads the 200 approved requests as an
.xlsx from the inbox, fills in carriers and tracking numbers, uploads it once; all 200
ship, each with its transition record, and the result page says so.

The one who does it is the merchant's 发货 (shipping) member (T1): it may do this and
nothing else, so opening product editing afterwards is refused in Chinese."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django_fsm_log.models import StateLog

from bench.ship_world import approved_requests, tracking_numbers
from samples.models import SampleRequest
from shops import team_services
from shops.models import Role
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
N = 200


def test_journey_ship_200_approved_requests_from_one_upload(journey, tmp_path):
    world = approved_requests(N)
    merchant = world.merchant
    shipper = factories.UserFactory(username="fahuo")  # password "pw", as journey() logs in
    team_services.member_add(merchant=merchant, by=merchant.user, login="fahuo", name="小王", role=Role.SHIPPING)
    me = journey(shipper)
    me.open("/merchant/samples/")
    me.submit("[data-testid=ship-sheet]")
    me.check("ship in bulk")
    me.screens("ship-sheet-page")
    assert f"{N} 条申请待发货" in me.text("main")
    with me.page.expect_download() as download:
        me.page.click("[data-testid=download-xlsx]")
    book = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    sheet = book.active
    ids = [row[0].value for row in sheet.iter_rows(min_row=2) if row[0].value]
    assert sorted(ids) == sorted(s.pk for s in world.requests)
    for row, number in zip(sheet.iter_rows(min_row=2, max_row=N + 1), tracking_numbers(N), strict=True):
        row[4].value, row[5].value = "顺丰速运", number
    filled = tmp_path / "发货.xlsx"
    book.save(filled)

    me.page.set_input_files("[data-testid=ship-sheet-form] input[type=file]", str(filled))
    me.submit("[data-testid=ship-sheet-form] button")
    assert me.text("[data-testid=count-shipped]") == str(N), me.text("main")[:600]
    assert me.text("[data-testid=count-refused]") == "0"
    me.check("ship in bulk, result")
    me.screens("ship-sheet-result")
    assert SampleRequest.objects.filter(merchant=world.merchant, state=SampleRequest.State.SHIPPED).count() == N
    assert StateLog.objects.filter(transition="ship", by=shipper).count() == N  # the per-row audit

    # T1: 发货 ships and nothing else.
    product = world.requests[0].product
    me.open(f"/merchant/products/{product.pk}/edit/")
    assert "只有主账号和运营成员可以管理商品和精选联盟" in me.text("main")
    me.check("shipping member refused product editing")
