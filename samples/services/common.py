"""What every samples service shares: the row lock, the state a person expects to find,
who may act, and how people are told (in the platform language, e-mail after commit)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from core.fsm import stale_message
from core.models import Notification
from core.notifications import Message, notify, platform_text
from samples.models import SampleRequest
from shops import teams


def locked(sample: SampleRequest) -> SampleRequest:
    """The row, locked for this transaction, with what notifications and checks read."""
    return (
        SampleRequest.objects.select_for_update(of=("self",))
        .select_related("product", "creator__user", "merchant__user")
        .get(pk=sample.pk)
    )


def expect(obj: models.Model, *states: str) -> None:
    """Before reading a state's clock: the loser of a race (a sweep or another click moved
    the row first) is told the row moved on, not that a clock of another state ran out."""
    if obj.state not in states:
        raise ValidationError(stale_message(obj))


def check_merchant(sample: SampleRequest, by, can: str = teams.SAMPLES) -> None:
    """`by` holds a seat in the goods owner's team that may `can` (T1), in the sample's shop."""
    if by is None:
        raise PermissionDenied(_("Only the merchant who owns the product can do this."))
    teams.check_can(by, sample.merchant, can, shop_id=sample.product.shop_id)


def check_creator(sample: SampleRequest, by) -> None:
    if by is None or sample.creator.user_id != by.pk:
        raise PermissionDenied(_("Only the creator who asked for the sample can do this."))


def creator_url(sample: SampleRequest) -> str:
    return _detail_url("samples:creator_detail", sample.pk)


def merchant_url(sample: SampleRequest) -> str:
    return _detail_url("samples:merchant_detail", sample.pk)


_URL_PATTERNS: dict[tuple, str] = {}
_PLACEHOLDER = 987654321


def _detail_url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]), reversed once per URL configuration (a sweep builds thousands)."""
    key = (name, get_script_prefix(), get_urlconf())
    pattern = _URL_PATTERNS.get(key)
    if pattern is None:
        pattern = _URL_PATTERNS[key] = reverse(name, args=[_PLACEHOLDER]).replace(str(_PLACEHOLDER), "{}")
    return pattern.format(pk)


def detail_url_template(name: str) -> str:
    """The detail page's URL with `{}` where the request's id goes (a sweep fills it in SQL)."""
    return _detail_url(name, "{}")


def notification_body() -> str:
    """The body of every sample notification (the title says what happened)."""
    return platform_text(lambda: _("Open the sample request for its timeline, the deadlines and what to do next."))


def tell(*, user, text: Callable[[], str], url: str, dedupe_key: str | None = None) -> Notification | None:
    """Notify in the platform language (zh-hans); e-mail follows after commit."""
    return notify(user=user, title=platform_text(text), body=notification_body(), url=url, dedupe_key=dedupe_key, kind="sample")


def tell_both(sample: SampleRequest, text: Callable[[], str]) -> None:
    """Tell the creator and the merchant the same thing, each with their own page."""
    tell(user=sample.creator.user, url=creator_url(sample), text=text)
    tell(user=sample.merchant.user, url=merchant_url(sample), text=text)


def product_title(sample: SampleRequest) -> str:
    """The product's title: annotated by a sweep's batch claim, else read from the product."""
    return sample.__dict__.get("product_title") or sample.product.title


def creator_user_id(sample: SampleRequest) -> int:
    return sample.__dict__.get("creator_user_id") or sample.creator.user_id


def merchant_user_id(sample: SampleRequest) -> int:
    return sample.__dict__.get("merchant_user_id") or sample.merchant.user_id


def message(*, user_id: int, text: Callable[[], str], url: str, dedupe_key: str | None = None) -> Message:
    """What `tell` posts, as one message of a batch (core.notifications.notify_many)."""
    return Message(user_id=user_id, title=platform_text(text), body=notification_body(), url=url, dedupe_key=dedupe_key, kind="sample")


def messages_both(sample: SampleRequest, text: Callable[[], str]) -> list[Message]:
    """What `tell_both` posts, as messages of a batch (the text rendered once for both)."""
    title, body = platform_text(text), notification_body()
    return [
        Message(user_id=creator_user_id(sample), title=title, body=body, url=creator_url(sample), kind="sample"),
        Message(user_id=merchant_user_id(sample), title=title, body=body, url=merchant_url(sample), kind="sample"),
    ]


def describe(text: Callable[[], str]) -> str:
    """Transition descriptions are stored in the platform language, like notifications."""
    return platform_text(text)


def sweep_note_template() -> str:
    return _("Sweep “%(sweep)s”: %(what)s")


def sweep_note(name: str, text: Callable[[], str]) -> str:
    """A sweep's transition description: which sweep, and why."""
    return describe(lambda: sweep_note_template() % {"sweep": name, "what": text()})
