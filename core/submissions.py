"""Each create form is acted on once (hole 6): `once(key=…, user=…, create=…)`.

The form carries a one-time key (core.forms.SubmissionField, or `{% submission_key %}` in a
hand-written form). `once` inserts a Submission row with that key and runs `create` in the
same transaction. Two identical requests at once: the second insert waits on the unique
key until the first commits, then finds the row and returns what the first created — one
row for one click. If the first was refused (its transaction rolled back), the key is free
again and the second runs normally."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import Submission


def once(*, key, user, create: Callable[[], object]):
    """`create()` once per key; a repeat returns the first result. No key: just create()."""
    if not key:
        return create()
    owner = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        submission, first = Submission.objects.get_or_create(key=key, defaults={"user": owner})
        if not first:
            if submission.user_id != (owner.pk if owner else None):
                raise ValidationError(_("This form has expired: reload the page and send it again."))
            obj = submission.target()
            if obj is None:
                raise ValidationError(_("This form was already sent. Reload the page to send it again."))
            return obj
        obj = create()
        submission.content_type = ContentType.objects.get_for_model(obj)
        submission.object_id = obj.pk
        submission.save(update_fields=["content_type", "object_id"])
        return obj
