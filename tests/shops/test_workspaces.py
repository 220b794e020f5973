"""Role routing (302/403) and object isolation (404)."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

WORKSPACES = ["/merchant/", "/merchant/products/", "/merchant/shops/", "/creator/", "/creator/marketplace/", "/creator/sessions/", "/creator/showcase/"]


@pytest.mark.parametrize("url", WORKSPACES)
def test_anonymous_is_sent_to_login(client, url):
    resp = client.get(url)
    assert resp.status_code == 302
    assert resp["Location"].startswith("/accounts/login/")


def test_login_lands_each_person_in_their_workspace(client, merchant, creator, staff):
    for user, target in [(merchant.user, "/merchant/"), (creator.user, "/creator/"), (staff, "/admin/")]:
        client.logout()
        resp = client.post("/accounts/login/", {"username": user.username, "password": "pw"})
        assert resp.status_code == 302
        resp = client.get(resp["Location"])
        assert resp.status_code == 302 and resp["Location"] == target


def test_a_merchant_gets_403_in_the_creator_workspace(merchant_client):
    assert merchant_client.get("/creator/").status_code == 403


def test_a_creator_gets_403_in_the_merchant_workspace(creator_client):
    assert creator_client.get("/merchant/products/").status_code == 403


def test_a_merchant_never_sees_another_merchants_product(merchant_client, merchant):
    mine = factories.ProductFactory(shop__merchant=merchant, title="我的商品")
    theirs = factories.ProductFactory(title="别人的商品")
    assert merchant_client.get(f"/merchant/products/{mine.pk}/").status_code == 200
    assert merchant_client.get(f"/merchant/products/{theirs.pk}/").status_code == 404
    assert merchant_client.get(f"/merchant/products/{theirs.pk}/edit/").status_code == 404
    listing = merchant_client.get("/merchant/products/").content.decode()
    assert "我的商品" in listing and "别人的商品" not in listing


def test_a_creator_never_sees_another_creators_session(creator_client, creator):
    mine = factories.LiveSessionFactory(creator=creator)
    theirs = factories.LiveSessionFactory()
    assert creator_client.get(f"/creator/sessions/{mine.pk}/").status_code == 200
    assert creator_client.get(f"/creator/sessions/{theirs.pk}/").status_code == 404
    assert creator_client.post(f"/creator/sessions/{theirs.pk}/transition/", {"action": "go_live"}).status_code == 404
