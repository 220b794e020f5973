"""The creator's flash-sale pages on a phone and before the invitation: during a broadcast
the live sales and comments come first and the create form folds; an uninvited creator
sees what flash sales need (FS1, FS2) instead of an empty console."""

import pytest

from tests.flashsales.test_views import live  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_fs6_during_a_broadcast_sales_come_first_and_the_form_folds(live):  # noqa: F811
    page = live["client"].get(f"/creator/flash-sales/sessions/{live['session'].pk}/").content.decode()
    form_at = page.index('data-testid="new-flash-sale"')
    assert "<details" in page[form_at - 40:form_at] and " open" not in page[form_at:form_at + 140]
    assert 'order-1 order-lg-2' in page and 'order-2 order-lg-1' in page


def test_fs3_targeting_a_viewer_opens_the_folded_form(live):  # noqa: F811
    url = f"/creator/flash-sales/sessions/{live['session'].pk}/?viewer={live['viewer'].pk}"
    page = live["client"].get(url).content.decode()
    form_at = page.index('data-testid="new-flash-sale"')
    assert " open" in page[form_at:form_at + 140]


def test_fs2_an_uninvited_creator_sees_what_flash_sales_need(live):  # noqa: F811
    live["creator"].flash_sale_invited = False
    live["creator"].save()
    for url in ("/creator/flash-sales/", f"/creator/flash-sales/sessions/{live['session'].pk}/"):
        page = live["client"].get(url).content.decode()
        assert 'data-testid="flash-sale-requirements"' in page and "珠宝玉石" in page


def test_fs2_an_invited_creator_is_not_shown_the_requirements(live):  # noqa: F811
    assert 'data-testid="flash-sale-requirements"' not in live["client"].get("/creator/flash-sales/").content.decode()
