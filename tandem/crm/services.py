"""Writes to accounts, contacts and stakeholder periods.

check_* functions validate and raise ValidationError; do_* functions write in one transaction.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.core.events import emit
from tandem.core.services import (
    ErrorCollector,
    apply_changes,
    check_not_stale,
    day,
    full_clean_or_raise,
)
from tandem.crm.events import StakeholderEnded
from tandem.crm.models import (
    Account,
    Contact,
    ContactEmail,
    ContactPhone,
    Stakeholder,
)
from tandem.people.models import User

ACCOUNT_FIELDS = (
    "name",
    "industry",
    "website",
    "owner",
    "tier",
    "status",
    "street",
    "city",
    "region",
    "postal_code",
    "country",
)
CONTACT_FIELDS = ("first_name", "last_name", "notes")
STAKEHOLDER_FIELDS = ("title", "influence", "start_date", "end_date")


def _attribute(instance, by: User | None):
    # simple_history reads this when no request is around (API scripts, seeding, tasks).
    instance._history_user = by
    return instance


@transaction.atomic
def do_create_account(by: User | None, **fields) -> Account:
    """Create an account; the owner defaults to whoever creates it."""
    fields.setdefault("owner", by)
    account = Account(**fields)
    full_clean_or_raise(account)
    _attribute(account, by).save()
    return account


@transaction.atomic
def do_update_account(
    account: Account, by: User | None, changes: dict, version: str | None = None
) -> Account:
    """Apply `changes` to the account unless someone changed it since `version`."""
    account = Account.objects.select_for_update(of=("self",)).get(pk=account.pk)
    check_not_stale(account, version)
    if apply_changes(account, changes, ACCOUNT_FIELDS):
        full_clean_or_raise(account)
        _attribute(account, by).save()
    return account


def _clean_emails(emails: list[str]) -> list[str]:
    seen: list[str] = []
    for raw in emails:
        email = raw.strip().lower()
        if email and email not in seen:
            ContactEmail(email=email).clean_fields(exclude=["contact"])
            seen.append(email)
    return seen


def _clean_phones(phones: list[str]) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in phones if p.strip()))


@transaction.atomic
def do_create_contact(
    by: User | None,
    *,
    first_name: str,
    last_name: str,
    notes: str = "",
    emails: list[str] = (),
    phones: list[str] = (),
    created_at: dt.datetime | None = None,
) -> Contact:
    """Create a contact with their email addresses and phone numbers (the first is primary)."""
    contact = Contact(first_name=first_name, last_name=last_name, notes=notes)
    if created_at:
        contact.created_at = created_at
    full_clean_or_raise(contact)
    emails, phones = _clean_emails(list(emails)), _clean_phones(list(phones))
    _attribute(contact, by).save()
    _set_channels(contact, emails, phones)
    return contact


def _set_channels(contact: Contact, emails: list[str], phones: list[str]) -> None:
    contact.emails.all().delete()
    contact.phones.all().delete()
    ContactEmail.objects.bulk_create(
        ContactEmail(contact=contact, email=email, is_primary=i == 0)
        for i, email in enumerate(emails)
    )
    ContactPhone.objects.bulk_create(
        ContactPhone(contact=contact, number=number, is_primary=i == 0)
        for i, number in enumerate(phones)
    )


@transaction.atomic
def do_update_contact(
    contact: Contact,
    by: User | None,
    changes: dict,
    *,
    emails: list[str] | None = None,
    phones: list[str] | None = None,
    version: str | None = None,
) -> Contact:
    """Change a contact's name or notes and, when given, replace their emails and phones."""
    contact = Contact.objects.select_for_update(of=("self",)).get(pk=contact.pk)
    check_not_stale(contact, version)
    clean_emails = _clean_emails(emails) if emails is not None else None
    clean_phones = _clean_phones(phones) if phones is not None else None
    if apply_changes(contact, changes, CONTACT_FIELDS):
        full_clean_or_raise(contact)
        _attribute(contact, by).save()
    if clean_emails is not None or clean_phones is not None:
        # The channels are part of the contact: bump its version so a concurrent editor who
        # read the old emails is refused rather than overwriting these.
        contact.save(update_fields=["updated_at"])
        _set_channels(
            contact,
            clean_emails if clean_emails is not None else [e.email for e in contact.emails.all()],
            clean_phones if clean_phones is not None else [p.number for p in contact.phones.all()],
        )
    return contact


def check_period(start: dt.date | None, end: dt.date | None) -> None:
    if start is None:
        raise ValidationError({"start_date": "Say when they started in this role."})
    if end is not None and end < start:
        raise ValidationError(
            {"end_date": f"The role cannot end ({day(end)}) before it starts ({day(start)})."}
        )


@transaction.atomic
def do_add_stakeholder(
    by: User | None,
    *,
    contact: Contact,
    account: Account,
    start_date: dt.date,
    title: str = "",
    influence: str = "other",
    end_date: dt.date | None = None,
) -> Stakeholder:
    """Record that `contact` holds a role at `account` from `start_date` (to `end_date`)."""
    check_period(start_date, end_date)
    stakeholder = Stakeholder(
        contact=contact,
        account=account,
        title=title,
        influence=influence,
        start_date=start_date,
        end_date=end_date,
    )
    full_clean_or_raise(stakeholder)
    _attribute(stakeholder, by).save()
    return stakeholder


@transaction.atomic
def do_update_stakeholder(
    stakeholder: Stakeholder, by: User | None, changes: dict, version: str | None = None
) -> Stakeholder:
    stakeholder = Stakeholder.objects.select_for_update(of=("self",)).get(pk=stakeholder.pk)
    check_not_stale(stakeholder, version)
    ended_before = stakeholder.end_date
    if apply_changes(stakeholder, changes, STAKEHOLDER_FIELDS):
        check_period(stakeholder.start_date, stakeholder.end_date)
        full_clean_or_raise(stakeholder)
        _attribute(stakeholder, by).save()
        if stakeholder.end_date is not None and stakeholder.end_date != ended_before:
            emit(
                StakeholderEnded(
                    stakeholder_id=stakeholder.pk,
                    contact_id=stakeholder.contact_id,
                    account_id=stakeholder.account_id,
                    end_date=stakeholder.end_date,
                    by_id=by.pk if by else None,
                    at=timezone.now(),
                )
            )
    return stakeholder


@transaction.atomic
def do_end_stakeholder(stakeholder: Stakeholder, by: User | None, end_date: dt.date) -> Stakeholder:
    """Close a stakeholder period: the contact left the role on `end_date`."""
    return do_update_stakeholder(stakeholder, by, {"end_date": end_date})


def check_move(stakeholder: Stakeholder, to_account: Account | None, moved_on) -> None:
    """Check a move of `stakeholder` to `to_account` on `moved_on`, every rule at once (either
    may be None when a form could not read it: its rules are left to the form)."""
    errors = ErrorCollector()
    if to_account is not None and to_account.pk == stakeholder.account_id:
        errors.add(
            ValidationError({"to_account": "Pick the account they moved to, not the same one."})
        )
    if moved_on is not None:
        ended = stakeholder.end_date
        if ended is not None and ended < moved_on - dt.timedelta(days=1):
            errors.add(
                ValidationError(
                    f"This role already ended on {day(ended)}; "
                    "add their new role from the contact page instead."
                )
            )
        if moved_on <= stakeholder.start_date:
            errors.add(
                ValidationError(
                    {
                        "moved_on": f"They started at {stakeholder.account} on "
                        f"{day(stakeholder.start_date)}; the move must come after that."
                    }
                )
            )
    errors.raise_if_any()


@transaction.atomic
def do_move_stakeholder(
    stakeholder: Stakeholder,
    by: User | None,
    *,
    to_account: Account,
    moved_on: dt.date,
    title: str = "",
    influence: str = "",
) -> Stakeholder:
    """End `stakeholder`'s period the day before `moved_on` and start one at `to_account`.

    Title and influence carry over unless new ones are given. Both rows are written or
    neither is. Returns the new period.
    """
    stakeholder = Stakeholder.objects.select_for_update(of=("self",)).get(pk=stakeholder.pk)
    check_move(stakeholder, to_account, moved_on)
    do_update_stakeholder(stakeholder, by, {"end_date": moved_on - dt.timedelta(days=1)})
    return do_add_stakeholder(
        by,
        contact=stakeholder.contact,
        account=to_account,
        start_date=moved_on,
        title=title or stakeholder.title,
        influence=influence or stakeholder.influence,
    )
