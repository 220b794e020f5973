"""C1–C4 before the click: the marketplace and the session page show an official account what
it may carry, the session's list leaves out what is in the cart, and cart rows say own / non-own."""

import pytest

from shops import services
from shops.models import ShopType
from tests.shops.helpers import alliance_product, official_account, own_product, session_for

pytestmark = pytest.mark.django_db


def html(resp) -> str:
    return resp.content.decode()


def test_c1_c4_marketplace_tells_a_professional_official_account_it_cannot_carry_a_non_own_product(client):
    creator = official_account(ShopType.FLAGSHIP)
    session_for(creator)
    product = alliance_product(product__title="别家面霜")
    client.force_login(creator.user)
    page = html(client.get(f"/creator/marketplace/{product.alliance_listing.pk}/"))
    assert 'data-testid="carry-outlook"' in page and 'data-testid="sample-carry-never"' in page
    assert "/creator/showcase/add/" not in page and 'id="cart-form"' not in page
    assert "/creator/samples/request/" not in page


def test_c2_c4_marketplace_offers_a_non_professional_account_the_live_cart_but_not_the_showcase(client):
    creator = official_account(ShopType.INDIVIDUAL)
    session_for(creator)
    product = alliance_product()
    client.force_login(creator.user)
    page = html(client.get(f"/creator/marketplace/{product.alliance_listing.pk}/"))
    assert 'data-testid="carry-outlook"' in page and 'id="cart-form"' in page
    assert "/creator/showcase/add/" not in page


def test_c3_session_list_leaves_out_the_cart_and_marks_own_and_non_own_rows(client):
    creator = official_account(ShopType.INDIVIDUAL)
    session = session_for(creator)
    mine = own_product(creator, title="自家牛肉干")
    others = [alliance_product(product__title=f"联盟商品{i}") for i in range(4)]
    services.cart_add(session=session, product=mine, by=creator.user)
    for product in others[:3]:
        services.cart_add(session=session, product=product, by=creator.user)
    client.force_login(creator.user)
    page = html(client.get(f"/creator/sessions/{session.pk}/"))
    assert page.count('data-testid="own"') == 1 and page.count('data-testid="non-own"') == 3
    # All three non-own slots used: the fourth alliance product is not offered, nor anything in the cart.
    assert f'<option value="{others[3].pk}">' not in page
    assert f'<option value="{mine.pk}">' not in page and f'<option value="{others[0].pk}">' not in page


def test_c1_session_list_of_a_professional_account_offers_only_own_products(client):
    creator = official_account(ShopType.FLAGSHIP)
    session = session_for(creator)
    mine = own_product(creator)
    other = alliance_product()
    client.force_login(creator.user)
    page = html(client.get(f"/creator/sessions/{session.pk}/"))
    assert f'<option value="{mine.pk}">' in page and f'<option value="{other.pk}">' not in page
