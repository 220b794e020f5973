"""Pages for taking products out of the alliance (D1–D4): the merchant's alliance page, the
confirmation page, cancelling a scheduled removal, and the announcement to buyers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import posted
from core.http import back, page_of, run_action
from core.roles import merchant_required
from core.submissions import once
from shops import teams
from shops.alliance_removal import impact, selectors, services
from shops.alliance_removal.forms import AllianceRemovalForm, AnnouncementForm, RemovalPickForm
from shops.models import AllianceRemoval


@merchant_required(can=teams.VIEW)
def alliance(request: HttpRequest) -> HttpResponse:
    """D1: the merchant's alliance page — products listed, what carries them, removals."""
    listings = selectors.alliance_products_for_merchant(merchant=request.merchant)
    removals = selectors.removals_for_merchant(merchant=request.merchant)[:20]
    return render(request, "shops/alliance_removal/alliance.html", {"page": page_of(request, listings), "removals": removals})


@merchant_required(can=teams.CATALOGUE)
def alliance_remove(request: HttpRequest) -> HttpResponse:
    """D1/D2: confirm taking one or more products out of the alliance."""
    picked = request.POST if request.method == "POST" else request.GET
    ids = posted(request, RemovalPickForm, data=picked)["products"]  # tampered ids: a 400 page
    listings = selectors.listings_for_removal(merchant=request.merchant, product_ids=ids)
    if not listings:
        messages.error(request, _("Choose at least one product listed in the alliance."))
        return redirect("merchant:alliance")
    form = AllianceRemovalForm(request.POST if request.POST.get("confirm") else None)
    if request.method == "POST" and request.POST.get("confirm") and form.is_valid():
        try:
            with transaction.atomic():
                removals = [
                    services.alliance_removal_create(
                        product=listing.product, by=request.user, at=form.cleaned_data["at"],
                        compensation_note=form.cleaned_data["compensation_note"], announcement=form.cleaned_data["announcement"],
                    )
                    for listing in listings
                ]
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if removals[0].status == AllianceRemoval.Status.DONE:
                messages.success(request, _("Taken out of the alliance. Consider taking the product off sale too."))
            else:
                messages.success(request, _("Scheduled. You can cancel it until it happens."))
            if len(removals) == 1:
                return redirect("merchant:product_detail", pk=removals[0].listing.product_id)
            return redirect("merchant:alliance")
    rows = [{"listing": listing, "product": listing.product, "impact": impact.impact_for(listing.product)} for listing in listings]
    return render(request, "shops/alliance_removal/alliance_remove.html", {"rows": rows, "form": form})


@merchant_required(can=teams.CATALOGUE)
@require_POST
def alliance_removal_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    removal = selectors.get_removal_for_merchant_or_404(merchant=request.merchant, pk=pk)
    run_action(request, lambda: services.alliance_removal_cancel(removal=removal, by=request.user), _("Cancelled: the product stays in the alliance."))
    return back(request, "merchant:alliance")


@merchant_required(can=teams.CATALOGUE)
def alliance_removal_announce(request: HttpRequest, pk: int) -> HttpResponse:
    """D3: an announcement to the buyers who follow or bought the product, before it happens."""
    removal = selectors.get_removal_for_merchant_or_404(merchant=request.merchant, pk=pk)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = once(
                key=form.cleaned_data["submission"], user=request.user,
                create=lambda: services.buyer_announcement_send(removal=removal, by=request.user, message=form.cleaned_data["message"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Announcement sent to %(n)s buyers.") % {"n": sent.recipients})
            return redirect("merchant:alliance_removal_announce", pk=removal.pk)
    context = {
        "removal": removal, "product": removal.listing.product, "form": form,
        "announcements": removal.announcements.all()[:20], "audience": len(impact.buyer_audience(removal.listing.product)),
    }
    return render(request, "shops/alliance_removal/announce.html", context)

