"""Issue 26: on a phone (the list becomes cards below 768 px) the filings list hid 提交资质."""

import re

import pytest

from filings.models import Filing
from tests import factories
from tests.filings.factories import FilingFactory, set_state

pytestmark = pytest.mark.django_db


def test_submit_qualifications_is_in_every_pending_row_at_every_width(merchant_client, merchant):
    creator = factories.CreatorFactory(nickname="小鱼", is_specific=True)
    pending = FilingFactory(product__shop__merchant=merchant, creator=creator)
    approved = set_state(FilingFactory(product__shop__merchant=merchant, creator=creator), Filing.State.APPROVED)
    html = merchant_client.get("/merchant/filings/").content.decode()
    cells = re.findall(r'<td class="([^"]*)" data-testid="filing-action">(.*?)</td>', html, flags=re.S)
    assert len(cells) == 2
    for css, _ in cells:
        assert "d-none" not in css.split()  # the card layout hides a d-none cell
    actions = {body for _, body in cells}
    assert any(f"/merchant/filings/{pending.pk}/" in a and "提交资质" in a for a in actions)
    assert any(f"/merchant/filings/{approved.pk}/" in a and "提交资质" not in a for a in actions)
