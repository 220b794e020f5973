"""The merchant's webhooks page: endpoints (create, the secret shown once, delete) and the
deliveries with their state, response code and attempts, each replayable."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api.webhooks import selectors
from api.webhooks.delivery import webhook_delivery_replay, webhook_endpoint_create, webhook_endpoint_delete
from api.webhooks.forms import WebhookEndpointForm
from core.http import error_text, page_of
from core.roles import merchant_required
from core.rules import rules
from core.submissions import once
from shops import teams


@never_cache
@merchant_required(can=teams.TEAM)
def webhooks(request: HttpRequest) -> HttpResponse:
    merchant = request.merchant
    created, status = None, 200
    if request.method == "POST":
        form = WebhookEndpointForm(request.POST)
        if form.is_valid():
            try:
                data = {k: v for k, v in form.cleaned_data.items() if k != "submission"}
                created = once(key=form.cleaned_data.get("submission"), user=request.user,
                               create=lambda: webhook_endpoint_create(merchant=merchant, **data))
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
                status = 400
            else:
                form = WebhookEndpointForm()
        else:
            status = 400
    else:
        form = WebhookEndpointForm()
    context = {
        "form": form, "created": created,
        "endpoints": selectors.endpoints_of(merchant=merchant),
        "deliveries": page_of(request, selectors.deliveries_of(merchant=merchant)),
        "attempts": rules.count("webhook_max_attempts"), "base": rules.duration("webhook_retry_base"),
    }
    return render(request, "api/webhooks.html", context, status=status)


@merchant_required(can=teams.TEAM)
@require_POST
def endpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.get_endpoint_or_404(merchant=request.merchant, pk=pk)
    webhook_endpoint_delete(endpoint=endpoint)
    messages.success(request, _("Endpoint deleted: no more events are sent to it."))
    return redirect("api_keys:webhooks")


@merchant_required(can=teams.TEAM)
@require_POST
def delivery_replay(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = selectors.get_delivery_or_404(merchant=request.merchant, pk=pk)
    try:
        webhook_delivery_replay(delivery=delivery, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Delivery queued again."))
    return redirect("api_keys:webhooks")
