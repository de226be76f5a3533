"""Private links for people who do not sign in (the customer): signed, expiring, revocable.

An app keeps its links in a model built on `SignedLink` (a close plan's customer link now;
acceptance and calendar feeds later), each kind with its own salt, so a token made for one
kind never opens another. The URL carries the row's random token signed with the server's
key: a guessed or altered value is refused before the database is read; expiry and
revocation are checked on the row.
"""

import datetime as dt
import secrets
from typing import ClassVar

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

MAX_DAYS = 365


class SignedLinkQuerySet(models.QuerySet):
    def live(self, now: dt.datetime):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class SignedLink(models.Model):
    """Abstract base: a private link's token, lifetime, revocation and last use."""

    # Each concrete kind names its own, so tokens do not open another kind's links.
    SALT: ClassVar[str] = ""

    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = SignedLinkQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_live(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now

    def signed_token(self) -> str:
        """The value the URL carries: the random token, signed for this kind of link."""
        return signing.Signer(salt=self.SALT).sign(self.token)


class LinkRefused(Exception):
    """A link that opens nothing; `reason` is "invalid", "expired" or "revoked"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def new_link(model: type[SignedLink], by, *, days: int, now: dt.datetime, **target) -> SignedLink:
    """Make a link of `model` to `target` (its own fields) that works for `days` days.

    The caller holds the transaction and has checked that `by` may share the target.
    """
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": f"A link works for 1 to {MAX_DAYS} days."})
    return model.objects.create(
        token=secrets.token_urlsafe(32),
        created_by=by,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
        **target,
    )


@transaction.atomic
def revoke_link(link: SignedLink, by, *, now: dt.datetime | None = None) -> SignedLink:
    """Stop a link working from now; revoking it again changes nothing."""
    link = type(link).objects.select_for_update(of=("self",)).get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at = now or timezone.now()
        link.revoked_by = by
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def open_link(queryset, value: str, *, now: dt.datetime | None = None) -> SignedLink:
    """The live link of `queryset`'s kind that `value` carries, or raise LinkRefused.

    `queryset` may join what the page needs (select_related); a value whose signature does
    not check is refused before the database is read.
    """
    try:
        token = signing.Signer(salt=queryset.model.SALT).unsign(value)
    except signing.BadSignature:
        raise LinkRefused("invalid") from None
    link = queryset.filter(token=token).first()
    if link is None:
        raise LinkRefused("invalid")
    if link.revoked_at is not None:
        raise LinkRefused("revoked")
    if link.expires_at <= (now or timezone.now()):
        raise LinkRefused("expired")
    return link


def mark_used(link: SignedLink, *, now: dt.datetime | None = None) -> None:
    """Note when the link was last used (a plain update: no lock, no history)."""
    type(link).objects.filter(pk=link.pk).update(last_used_at=now or timezone.now())
