"""收货地址: the creator's address book, the snapshot a request carries, who reads it how,
and each tracking number's link to its carrier."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samples import messages as msg
from samples.models import SampleRequest, ShippingAddress
from samples.models.addresses import mask_name, mask_phone
from samples.services import addresses, requests
from tests import factories
from tests.samples.factories import T0, H, address_for, approved_at, eligible_product, received_at, reload, request_at, shipped_at, travel

pytestmark = pytest.mark.django_db
S = SampleRequest.State


def html(resp) -> str:
    return resp.content.decode()


# ---------------------------------------------------------------------------------------
# The book: one default, the phone's shape, only one's own


def test_address_first_is_default_and_a_new_default_replaces_the_old():
    creator = factories.CreatorFactory()
    first = address_for(creator)
    assert first.is_default
    second = addresses.address_create(
        creator=creator, by=creator.user, is_default=True, name="李四", phone="13900001111", province="江苏省", city="南京市",
        district="鼓楼区", street="中山路 1 号",
    )
    assert second.is_default and not ShippingAddress.objects.get(pk=first.pk).is_default
    addresses.address_delete(address=second, by=creator.user)
    assert ShippingAddress.objects.get(pk=first.pk).is_default  # the default passes on


def test_address_phone_of_the_wrong_shape_is_refused_and_nothing_saved():
    creator = factories.CreatorFactory()
    with pytest.raises(ValidationError, match="11"):
        address_for(creator, phone="12345")
    assert not ShippingAddress.objects.exists()


def test_address_of_another_creator_cannot_be_changed():
    address = address_for(factories.CreatorFactory())
    other = factories.CreatorFactory()
    with pytest.raises(PermissionDenied, match=str(msg.ADDRESS_NOT_YOURS)):
        addresses.address_update(address=address, by=other.user, street="别处")


def test_address_pages_of_another_creator_are_404(creator_client):
    address = address_for(factories.CreatorFactory())
    assert creator_client.get(f"/creator/addresses/{address.pk}/").status_code == 404
    assert creator_client.post(f"/creator/addresses/{address.pk}/delete/").status_code == 404
    assert ShippingAddress.objects.filter(pk=address.pk).exists()


def test_address_book_page_adds_an_address_and_a_bad_phone_stays_on_the_form(creator_client, creator):
    assert 'data-testid="empty"' in html(creator_client.get("/creator/addresses/"))
    data = {"name": "王五", "phone": "555", "province": "广东省", "city": "深圳市", "district": "南山区", "street": "科技园 1 号"}
    resp = creator_client.post("/creator/addresses/new/", data)
    assert resp.status_code == 400 and "13812345678" in html(resp) and 'value="王五"' in html(resp)
    assert not ShippingAddress.objects.exists()
    resp = creator_client.post("/creator/addresses/new/", {**data, "phone": "13512345678"})
    assert resp.status_code == 302
    address = ShippingAddress.objects.get(creator=creator)
    assert address.is_default and address.street == "科技园 1 号"


# ---------------------------------------------------------------------------------------
# S1: a request carries a snapshot of the chosen address


def test_s1_request_without_any_address_is_refused():
    creator = factories.CreatorFactory()
    with pytest.raises(ValidationError, match=str(msg.ADDRESS_REQUIRED)):
        requests.sample_request_create(creator=creator, product=eligible_product(), by=creator.user)
    assert not SampleRequest.objects.exists()


def test_s1_request_with_another_creators_address_is_refused_and_nothing_made(creator_client, creator):
    address_for(creator)
    foreign = address_for(factories.CreatorFactory())
    product = eligible_product()
    resp = creator_client.post(f"/creator/samples/request/{product.pk}/", {"address": foreign.pk}, follow=True)
    assert str(msg.ADDRESS_NOT_YOURS) in html(resp)
    assert not SampleRequest.objects.exists()


def test_s1_request_keeps_its_snapshot_when_the_address_book_changes():
    sample = request_at(T0)
    address = ShippingAddress.objects.get(creator=sample.creator)
    addresses.address_update(address=address, by=sample.creator.user, street="新地址 8 号")
    addresses.address_delete(address=address, by=sample.creator.user)
    assert reload(sample).ship_to_street == "文三路 90 号 3 幢 501 室"


# ---------------------------------------------------------------------------------------
# Who reads the address: the merchant in full from approval to close, masked otherwise


def test_address_masks_keep_the_first_character_and_the_phones_ends():
    assert mask_name("张小明") == "张**" and mask_name("李") == "李*"
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize(("make", "full"), [(request_at, False), (approved_at, True), (shipped_at, True), (received_at, True)])
def test_address_merchant_reads_it_whole_only_while_shipping(client, make, full):
    sample = make(T0)
    client.force_login(sample.merchant.user)
    with travel(T0 + H):
        page = html(client.get(f"/merchant/samples/{sample.pk}/"))
    assert ("文三路 90 号" in page) is full and ("13812345678" in page) is full
    assert "西湖区" in page
    if not full:
        assert "138****5678" in page and "张**" in page


def test_address_is_masked_for_the_merchant_once_the_request_closes(client):
    sample = request_at(T0)
    with travel(T0 + H):
        requests.sample_request_reject(sample=sample, by=sample.merchant.user, reason="已发完")
    client.force_login(sample.merchant.user)
    page = html(client.get(f"/merchant/samples/{sample.pk}/"))
    assert "文三路" not in page and "13812345678" not in page and "138****5678" in page


def test_address_another_merchant_never_sees_it(client):
    sample = approved_at(T0)
    client.force_login(factories.MerchantFactory().user)
    assert client.get(f"/merchant/samples/{sample.pk}/").status_code == 404


# ---------------------------------------------------------------------------------------
# S5: a tracking number links to its carrier's page


def test_s5_tracking_number_links_to_the_carriers_tracking_page(client):
    sample = shipped_at(T0)
    assert sample.tracking_url == "https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF123456789012"
    client.force_login(sample.creator.user)
    page = html(client.get(f"/creator/samples/{sample.pk}/"))
    assert 'href="https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF123456789012"' in page
