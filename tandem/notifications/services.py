"""Writes to the inbox: send notices (once per recipient and key), email them, mark them read.

A job builds its Notification rows and hands them to do_notify_many; the unique
(recipient, key) pair means a job run twice writes nothing new. Emails go out for the rows
whose `emailed_at` is still empty, so a run that crashed half-way resends at most one batch.
"""

import datetime as dt
import logging
from collections.abc import Callable, Iterable

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
    """How many of the user's notices are unread: the one number the bell, its dropdown and
    the inbox all show."""
    return Notification.objects.filter(recipient=user).unread().count()


def latest_for(user: User, limit: int) -> list[Notification]:
    """The user's `limit` newest notices, read or not (the bell's dropdown)."""
    return list(Notification.objects.filter(recipient=user).order_by("-created_at", "-id")[:limit])


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


def do_mark_read_about(user: User, key_prefix: str, *, now: dt.datetime | None = None) -> int:
    """Mark read the user's unread notices whose key starts with `key_prefix` (say, every
    notice about one deal, once its page is open); returns how many."""
    return (
        Notification.objects.filter(recipient=user, key__startswith=key_prefix)
        .unread()
        .update(read_at=now or timezone.now())
    )


def do_bundle_notice(
    recipient: User,
    key: str,
    *,
    kind: str,
    url: str,
    describe: Callable[[], tuple[str, str]],
    now: dt.datetime | None = None,
) -> Notification:
    """Write the recipient's notice named `key`, or bring the one there up to date.

    Several happenings share one notice by sharing its key (say, a deal and an hour). The row
    is created if missing and then locked, and only then does `describe()` give its
    (title, body): a concurrent writer waits on the unique key and the lock, so the last one
    describes everything both wrote. A notice brought up to date is unread again and moves
    to `now`. The first writer queues its email once the transaction commits. Call inside a
    transaction.
    """
    from tandem.notifications.tasks import email_notices

    now = now or timezone.now()
    Notification.objects.bulk_create(
        [Notification(recipient=recipient, key=key, kind=kind, title="", url=url, created_at=now)],
        ignore_conflicts=True,
    )
    notice = Notification.objects.select_for_update(of=("self",)).get(recipient=recipient, key=key)
    first = notice.title == ""
    title, body = describe()
    notice.title, notice.body, notice.url = title[:200], body, url
    notice.created_at, notice.read_at = now, None
    notice.save(update_fields=["title", "body", "url", "created_at", "read_at"])
    if first:
        transaction.on_commit(lambda: email_notices.enqueue(key))
    return notice


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
