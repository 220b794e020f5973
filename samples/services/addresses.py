"""The creator's address book (收货地址): add, change, delete, choose the default.

Not a state machine: an address is a plain record of its creator. A sample request keeps its
own snapshot (sample_request_create), so none of these writes reaches a request already made.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.fsm import full_clean
from samples import messages as msg
from samples.models import ShippingAddress
from samples.models.addresses import ADDRESS_BOOK_LIMIT
from shops.models import Creator

FIELDS = ("name", "phone", "province", "city", "district", "street")


def _lock_book(creator: Creator) -> None:
    # One creator's writes in a row, so "one default" is decided on what the other click wrote.
    Creator.objects.select_for_update().filter(pk=creator.pk).first()


def _check_owner(address: ShippingAddress, by) -> None:
    if by is None or address.creator.user_id != by.pk:
        raise PermissionDenied(msg.ADDRESS_NOT_YOURS)


@transaction.atomic
def address_create(*, creator: Creator, by, is_default: bool = False, **fields: str) -> ShippingAddress:
    """A new address; the creator's first address is the default whatever was asked."""
    if by is None or creator.user_id != by.pk:
        raise PermissionDenied(msg.ADDRESS_NOT_YOURS)
    _lock_book(creator)
    count = ShippingAddress.objects.filter(creator=creator).count()
    if count >= ADDRESS_BOOK_LIMIT:
        raise ValidationError(msg.ADDRESS_BOOK_FULL)
    address = ShippingAddress(creator=creator, **{k: (fields.get(k) or "").strip() for k in FIELDS})
    full_clean(address)
    if is_default or count == 0:
        ShippingAddress.objects.filter(creator=creator, is_default=True).update(is_default=False)
        address.is_default = True
    address.save()
    return address


@transaction.atomic
def address_update(*, address: ShippingAddress, by, **fields: str) -> ShippingAddress:
    _check_owner(address, by)
    for key in FIELDS:
        if key in fields:
            setattr(address, key, (fields[key] or "").strip())
    full_clean(address)
    address.save(update_fields=list(FIELDS))
    return address


@transaction.atomic
def address_set_default(*, address: ShippingAddress, by) -> ShippingAddress:
    _check_owner(address, by)
    _lock_book(address.creator)
    ShippingAddress.objects.filter(creator_id=address.creator_id, is_default=True).exclude(pk=address.pk).update(is_default=False)
    ShippingAddress.objects.filter(pk=address.pk).update(is_default=True)
    address.is_default = True
    return address


@transaction.atomic
def address_delete(*, address: ShippingAddress, by) -> None:
    """Requests keep their snapshot; when the default goes, the newest other address takes over."""
    _check_owner(address, by)
    _lock_book(address.creator)
    was_default = address.is_default
    creator_id = address.creator_id
    address.delete()
    if was_default:
        successor = ShippingAddress.objects.filter(creator_id=creator_id).order_by("-created_at", "-id").first()
        if successor:
            ShippingAddress.objects.filter(pk=successor.pk).update(is_default=True)


def address_for_request(*, creator: Creator, address: ShippingAddress | None) -> ShippingAddress:
    """The address a new request ships to: the one chosen (of this creator), else the default."""
    if address is not None:
        if address.creator_id != creator.pk:
            raise PermissionDenied(msg.ADDRESS_NOT_YOURS)
        return address
    default = ShippingAddress.objects.filter(creator=creator).order_by("-is_default", "-created_at").first()
    if default is None:
        raise ValidationError(msg.ADDRESS_REQUIRED)
    return default
