"""Template helpers of the samples domain: the 「免费申样」 offer (S1, S2, V1–V5), countdowns
(S8), the rules' numbers a page states (S7, V7, V8) and the return-on-samples card (V10)."""

from __future__ import annotations

from datetime import datetime

from django import forms, template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actors import split_note
from core.rules import rules
from samples import messages as msg
from samples import selectors
from samples.models import SampleRequest, ShippingAddress
from samples.policy import eligibility, quota
from shops import teams

register = template.Library()


def _per_render(context, key, compute):
    """Read once per page (a card grid would otherwise ask the database per card). Kept on
    the request: each {% include %} gets a fresh render_context."""
    request = context.get("request")
    cache = getattr(request, "_samples_cache", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._samples_cache = cache
    if key not in cache:
        cache[key] = compute()
    return cache[key]


@register.simple_tag(takes_context=True)
def sample_offer(context, listing) -> dict:
    """S1 + S2 for one marketplace listing, as the creator asking sees it."""
    policy = _per_render(context, "samples_policy", eligibility.sample_policy)
    refusal = eligibility.product_refusal(listing.product, policy=policy)
    if refusal is None and listing.product_id in _per_render(context, "samples_exhausted", quota.exhausted_product_ids):
        # V2: at zero 「免费申样」 disappears; the reason (one more query) is read only where shown.
        product = listing.product
        refusal = lambda: quota.refusal_text(quota.status_for_product(product))  # noqa: E731 (templates call it)
    request = context.get("request")
    creator = getattr(request, "creator", None)
    creator_refusal = eligibility.creator_refusal(creator) if creator is not None else None

    def already_open() -> bool:
        """V3, read only where a page shows it (the listing's page, not the card grid): an
        open request of this creator for this product."""
        return creator is not None and listing.product_id in selectors.open_request_product_ids(
            creator=creator, product_ids=[listing.product_id])

    return {
        "label": msg.FREE_SAMPLES,
        "eligible": refusal is None,
        "reason": refusal,
        "creator_refusal": creator_refusal,
        "already_open": already_open,  # templates call it
    }


@register.filter
def countdown(deadline: datetime | None, now: datetime | None = None) -> str:
    """“2天 3小时 5分” until the deadline, or that it has run out."""
    if deadline is None:
        return ""
    now = now or timezone.now()
    left = int((deadline - now).total_seconds())
    if left <= 0:
        return _("time is up")
    days, rest = divmod(left, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)sd") % {"n": days})
    if days or hours:
        parts.append(_("%(n)sh") % {"n": hours})
    parts.append(_("%(n)sm") % {"n": minutes})
    if not days and not hours:
        parts.append(_("%(n)ss") % {"n": seconds})
    return " ".join(parts)


@register.filter
def state_badge(state: str) -> str:
    return {
        SampleRequest.State.REQUESTED: "text-bg-warning",
        SampleRequest.State.APPROVED: "text-bg-info",
        SampleRequest.State.SHIPPED: "text-bg-primary",
        SampleRequest.State.NOT_ARRIVED: "text-bg-warning",  # V9: held
        SampleRequest.State.RECEIVED: "text-bg-primary",
        SampleRequest.State.FULFILLED: "text-bg-success",
        SampleRequest.State.BREACHED: "text-bg-danger",
    }.get(state, "text-bg-secondary")


@register.simple_tag
def rate(fulfilled: int, breached: int) -> str:
    value = selectors.fulfilment_rate(fulfilled or 0, breached or 0)
    return "—" if value is None else f"{value}%"


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, 0) if mapping else 0


@register.filter
def get_score(scores: dict, creator_id):
    """V1: the creator's Score from a page's scoring.scores_for(...) map."""
    return scores.get(creator_id) if scores else None


@register.simple_tag(takes_context=True)
def sample_request_refusal(context, listing) -> str | None:
    """V1, V2, V3, V5 for the creator on one listing's detail page (not on card grids)."""
    creator = getattr(context.get("request"), "creator", None)
    if creator is None:
        return None
    return eligibility.request_refusal(creator=creator, product=listing.product)


@register.simple_tag(takes_context=True)
def sample_addresses(context) -> list:
    """收货地址: the asking creator's addresses, the default first (the request form's choice)."""
    creator = getattr(context.get("request"), "creator", None)
    if creator is None:
        return []
    return _per_render(context, "samples_addresses", lambda: list(ShippingAddress.objects.filter(creator=creator)))


class _AskShown(forms.Form):
    """S1: the sample request form as the product page shows it (samples.forms.SampleAskForm
    parses what it posts: the same field names; a tag may not import the forms layer)."""

    address = forms.ChoiceField(label=gettext_lazy("Ship to"))
    note = forms.CharField(
        label=gettext_lazy("Note to the merchant"), max_length=300, required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("A note to the merchant (optional)")}),
    )


@register.simple_tag
def sample_ask_form(addresses) -> forms.Form:
    """The ask form with the creator's addresses already read (no query more), each written
    out, the default chosen."""
    form = _AskShown(initial={"address": next((a.pk for a in addresses if a.is_default), None)})
    form.fields["address"].choices = [(a.pk, f"{a.name} {a.phone} · {a.region} {a.street}") for a in addresses]
    return form


# ---------------------------------------------------------------------------------------
# The rules' numbers a page states, read from the rules object (never a literal)


@register.simple_tag
def rule_period(key: str) -> str:
    """A duration rule as people read it: {% rule_period "sample_extension_refuse" %} → 48 hours."""
    return msg.rule_period(key)


@register.simple_tag
def extension_days() -> int:
    """V7: the days an extension adds."""
    return rules.duration("sample_extension").days


@register.simple_tag
def min_live_viewers() -> int:
    """V8: the viewers a live promotion needs."""
    return rules.count("sample_min_live_viewers")


@register.simple_tag
def timeline_entries(sample, logs) -> list[dict]:
    """The timeline as people read it: each transition with who did it by name (the shop,
    the creator, the platform or a sweep), and the recorded promotion (S7) in its place,
    though recording it is not a state change."""
    entries = []
    for log in logs:
        note = split_note(log.description)
        if log.by_id is None:
            who = note.actor or _("system")
        elif log.by_id == sample.creator.user_id:
            who = sample.creator.display_name
        elif label := teams.actor_label(log.by, sample.product.shop.name):  # T2: 「店铺 · 小李」
            who = label
        else:
            who = _("platform reviewer")
        entries.append({"at": log.timestamp, "what": log.get_state_display(), "who": who, "note": note.text})
    if sample.promotion and sample.promotion_started_at:
        what = sample.promotion_video.title if sample.promotion_video_id else _("live session")
        note = _("Checked at %(when)s.") % {"when": msg.local_time(sample.fulfil_check_at)} if sample.fulfil_check_at else ""
        entries.append({"at": sample.promotion_started_at, "what": _("Promotion recorded: %(what)s") % {"what": what},
                        "who": sample.creator.display_name, "note": note})
    entries.sort(key=lambda e: e["at"])
    return entries
