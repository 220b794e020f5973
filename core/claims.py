"""领取 (#22): a reviewer who opens an item of a review queue holds it for the rule
`review_claim` (minutes, with a sane maximum); meanwhile other reviewers see who holds it and
until when, cannot decide it, and their "next" skips it. The claim ends on the decision, on
release, or when it expires (an expired row is simply taken over: no sweep needed).

One row per item (a unique constraint); taking it is one conditional statement, so two
reviewers opening the same item at once cannot both hold it.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Claim
from core.rules import rules


def _key(obj) -> dict:
    return {"content_type": ContentType.objects.get_for_model(type(obj)), "object_id": obj.pk}


def claim_current(obj) -> Claim | None:
    """The claim on `obj` still running, if any."""
    return Claim.objects.select_related("holder").filter(**_key(obj), expires_at__gt=timezone.now()).first()


def held_by_other(obj, user) -> Claim | None:
    claim = claim_current(obj)
    return claim if claim is not None and claim.holder_id != user.pk else None


def claim_take(*, obj, by) -> Claim | None:
    """Hold `obj` for `by` (or extend their hold); None when another reviewer holds it."""
    now = timezone.now()
    until = now + rules.duration("review_claim")
    key = _key(obj)
    with transaction.atomic():
        taken = Claim.objects.filter(**key).filter(holder=by).update(expires_at=until) or Claim.objects.filter(
            **key, expires_at__lte=now
        ).update(holder=by, claimed_at=now, expires_at=until)
        if not taken:
            try:
                with transaction.atomic():
                    Claim.objects.create(**key, holder=by, claimed_at=now, expires_at=until)
            except IntegrityError:
                return None  # another reviewer holds it
    return Claim.objects.get(**key)


def claim_check(*, obj, by) -> None:
    """Refuse a decision on an item another reviewer holds."""
    claim = held_by_other(obj, by)
    if claim is not None:
        raise ValidationError(claim_text(claim))


def claim_text(claim: Claim) -> str:
    from core.admin_base import person_name

    return _("%(who)s is handling this until %(until)s.") % {
        "who": person_name(claim.holder), "until": timezone.localtime(claim.expires_at).strftime("%H:%M"),
    }


def claim_release(*, obj, by) -> None:
    """The holder lets go (or the decision ends the claim)."""
    Claim.objects.filter(**_key(obj), holder=by).delete()


def claimed_by_others(model, user):
    """The ids of `model`'s items other reviewers hold now (the "next" skips them)."""
    return Claim.objects.filter(
        content_type=ContentType.objects.get_for_model(model), expires_at__gt=timezone.now()
    ).exclude(holder=user).values("object_id")


def annotate_claims(queryset):
    """Each row's running claim, holder's login and end, in the list's one query."""
    from django.db.models import OuterRef, Subquery

    running = Claim.objects.filter(
        content_type=ContentType.objects.get_for_model(queryset.model), object_id=OuterRef("pk"), expires_at__gt=timezone.now()
    )
    return queryset.annotate(
        claim_holder=Subquery(running.values("holder__username")[:1]), claim_until=Subquery(running.values("expires_at")[:1])
    )
