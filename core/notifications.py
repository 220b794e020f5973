"""Notifications: the in-app message every domain posts, e-mailed after commit (core.outbox)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone, translation

from core import outbox
from core.actors import acting_label
from core.models import Notification


def notify(
    *, user, title: str, body: str = "", url: str = "", dedupe_key: str | None = None, kind: str = Notification.Kind.GENERAL
) -> Notification | None:
    """Post an in-app notification and e-mail the same text after commit.

    With a dedupe_key the message is sent once, however many sweeps try (V6): the
    unique key makes the second insert a no-op.
    """
    if user is None:
        return None
    actor = acting_label()[:160]  # T2
    if dedupe_key is not None:
        note, created = Notification.objects.get_or_create(
            dedupe_key=dedupe_key, defaults={"user": user, "title": title, "body": body, "url": url, "kind": kind, "actor": actor}
        )
        if not created:
            return None
    else:
        note = Notification.objects.create(user=user, title=title, body=body, url=url, kind=kind, actor=actor)
    if user.email:  # no address, no e-mail (send_pending_notification_emails skips them too)
        email_notification(note.id)
    return note


@dataclass(frozen=True)
class Message:
    """One notification of a batch (notify_many): the same fields `notify` takes."""

    user_id: int
    title: str
    body: str = ""
    url: str = ""
    dedupe_key: str | None = None
    kind: str = Notification.Kind.GENERAL


def notify_many(messages: list[Message]) -> list[int]:
    """Post a batch of in-app notifications in bulk and hand their e-mails to the worker as
    one task per batch (not one broker message per row), through the outbox.

    A message whose dedupe_key exists already is skipped, as `notify` skips it (V6): the
    insert is ON CONFLICT DO NOTHING and only the ids it returns are e-mailed.
    Returns the ids created.
    """
    ids: list[int] = []
    if not messages:
        return ids
    now = timezone.now()
    table = connection.ops.quote_name(Notification._meta.db_table)
    # Constant SQL text: one array per column, not thousands of placeholders.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, title, body, url, created_at, dedupe_key, kind) "
            "SELECT u, t, b, l, %s, k, c FROM unnest(%s::integer[], %s::varchar[], %s::text[], %s::varchar[], %s::varchar[], %s::varchar[]) "
            "AS v(u, t, b, l, k, c) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
            [now, [m.user_id for m in messages], [m.title for m in messages], [m.body for m in messages],
             [m.url for m in messages], [m.dedupe_key for m in messages], [m.kind for m in messages]],
        )
        ids = [r[0] for r in cursor.fetchall()]
    email_notifications(ids)
    return ids


def email_notification(notification_id: int) -> None:
    """The e-mail of one notification, handed to the worker after commit through the outbox
    (core.outbox): the request never waits on the broker."""
    outbox.enqueue("core.tasks.send_notification_email", notification_id)


def email_notifications(notification_ids: list[int]) -> None:
    """The e-mails of a batch, as one task (not one broker message per row)."""
    if notification_ids:
        outbox.enqueue("core.tasks.send_notification_emails", list(notification_ids))


def notification_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(id__in=notification_ids)
    return qs.update(read_at=timezone.now())


def notifications_for_user(*, user, kind: str = "") -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user)
    return qs.filter(kind=kind) if kind else qs


def notification_for_user_or_404(*, user, pk: int) -> Notification:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Notification, pk=pk, user=user)


def platform_text(func, *args: Any, **kwargs: Any) -> str:
    """Render a message in the platform language (stored notifications are in Chinese)."""
    if translation.get_language() == settings.LANGUAGE_CODE:  # a sweep renders a whole batch in it
        return str(func(*args, **kwargs))
    with translation.override(settings.LANGUAGE_CODE):
        return str(func(*args, **kwargs))
