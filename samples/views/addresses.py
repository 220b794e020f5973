"""The creator's address book (收货地址): where free samples are sent."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import back, error_text, run_action
from core.roles import creator_required
from core.submissions import once
from samples.forms import AddressForm
from samples.models import ShippingAddress
from samples.services import addresses as services


def _own(request: HttpRequest, pk: int) -> ShippingAddress:
    # Another creator's address is a 404, never a 403 that would confirm it exists.
    return get_object_or_404(ShippingAddress.objects.select_related("creator"), pk=pk, creator=request.creator)


@creator_required
def address_book(request: HttpRequest) -> HttpResponse:
    items = ShippingAddress.objects.filter(creator=request.creator)
    return render(request, "samples/creator/addresses.html", {"addresses": items})


def _save(request: HttpRequest, form: AddressForm, address: ShippingAddress | None) -> HttpResponse | None:
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("is_default", "submission")}
    try:
        if address is None:
            once(key=form.cleaned_data.get("submission"), user=request.user, create=lambda: services.address_create(
                creator=request.creator, by=request.user, is_default=form.cleaned_data["is_default"], **data))
        else:
            services.address_update(address=address, by=request.user, **data)
            if form.cleaned_data["is_default"] and not address.is_default:
                services.address_set_default(address=address, by=request.user)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            form.add_error(None, error_text(exc))
        return None
    messages.success(request, _("Address saved."))
    return back(request, "samples:creator_addresses")


@creator_required
def address_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    address = _own(request, pk) if pk else None
    if request.method == "POST":
        # A fresh instance: the posted values must not leak into `address` before the service checks them.
        form = AddressForm(request.POST, instance=ShippingAddress(creator=request.creator))
        if form.is_valid():
            done = _save(request, form, address)
            if done:
                return done
        status = 400
    else:
        form = AddressForm(instance=address)
        status = 200
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    return render(request, "samples/creator/address_form.html", {"form": form, "address": address, "next": next_url}, status=status)


@creator_required
@require_POST
def address_default(request: HttpRequest, pk: int) -> HttpResponse:
    address = _own(request, pk)
    run_action(request, partial(services.address_set_default, address=address, by=request.user), _("Default address changed."))
    return redirect("samples:creator_addresses")


@creator_required
@require_POST
def address_delete(request: HttpRequest, pk: int) -> HttpResponse:
    address = _own(request, pk)
    run_action(
        request, partial(services.address_delete, address=address, by=request.user),
        _("Address deleted. Requests already made keep the address they were made with."),
    )
    return redirect("samples:creator_addresses")
