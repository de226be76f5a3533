"""Writes to the inbox: send notices (once per recipient and key), email them, mark them read.

A job builds its Notification rows and hands them to do_notify_many; the unique
(recipient, key) pair means a job run twice writes nothing new. Emails go out for the rows
whose `emailed_at` is still empty, so a run that crashed half-way resends at most one batch.
"""

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from tandem.notifications.models import Notification
from tandem.people.models import User

logger = logging.getLogger(__name__)

EMAIL_BATCH = 100


def notifications_for(user: User) -> QuerySet[Notification]:
    """The user's notices, unread first, newest first within each."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return Notification.objects.filter(recipient=user).order_by(unread.desc(), "-created_at", "-id")


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user).unread().count()


def do_notify_many(notifications: Iterable[Notification], *, batch_size: int = 1000) -> None:
    """Write the notices; one whose recipient already has its key is skipped, not doubled."""
    Notification.objects.bulk_create(
        list(notifications), batch_size=batch_size, ignore_conflicts=True
    )


def absolute_url(path: str) -> str:
    """A link for an email: `TANDEM_SITE_URL` (when set) in front of the page's path."""
    base = settings.TANDEM_SITE_URL.rstrip("/")
    return f"{base}{path}" if path.startswith("/") else path


def _email(notice: Notification) -> EmailMessage:
    lines = [notice.body.strip()] if notice.body.strip() else []
    if notice.url:
        lines.append(f"Open it in Tandem: {absolute_url(notice.url)}")
    return EmailMessage(
        subject=notice.title,
        body="\n\n".join(lines) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.recipient.email],
    )


def do_email_pending(
    key: str, *, now: dt.datetime | None = None, batch_size: int = EMAIL_BATCH
) -> int:
    """Email the notices named `key` not emailed yet to active recipients with an address.

    Each batch is marked emailed right after the mail server took it, so a crash in between
    sends at most that batch again. A failing mail server stops the run: the rest stay
    pending for the next one, and the error propagates. Returns how many were sent.
    """
    pending = (
        Notification.objects.filter(key=key, emailed_at__isnull=True, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("id")
    )
    sent = 0
    last_id = 0
    connection = get_connection()
    while True:
        batch = list(pending.filter(id__gt=last_id)[:batch_size])
        if not batch:
            return sent
        connection.send_messages([_email(notice) for notice in batch])
        Notification.objects.filter(pk__in=[n.pk for n in batch]).update(
            emailed_at=now or timezone.now()
        )
        sent += len(batch)
        last_id = batch[-1].pk


def do_mark_read(notification: Notification, *, now: dt.datetime | None = None) -> Notification:
    """Mark one notice read (a notice read before keeps its first reading time)."""
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def do_mark_all_read(user: User, *, now: dt.datetime | None = None) -> int:
    """Mark every unread notice of `user` read; returns how many were unread."""
    return (
        Notification.objects.filter(recipient=user).unread().update(read_at=now or timezone.now())
    )


def do_notify_and_email(notifications: Iterable[Notification]) -> None:
    """Write the notices and, once the transaction commits, email them from the task queue.

    All notices given must share one key: the email job picks them up by it.
    """
    from tandem.notifications.tasks import email_notices

    notifications = list(notifications)
    if not notifications:
        return
    keys = {notice.key for notice in notifications}
    if len(keys) != 1:
        raise ValueError(f"One key per call, not {sorted(keys)}")
    do_notify_many(notifications)
    (key,) = keys
    transaction.on_commit(lambda: email_notices.enqueue(key))
