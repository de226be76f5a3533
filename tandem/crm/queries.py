"""Read-side queries for the CRM pages: a fixed number of SQL queries whatever the data."""

from django.db.models import Prefetch
from django.utils import timezone

from tandem.core.history import history_entries
from tandem.crm.models import Account, Contact, Stakeholder


def account_list(accounts):
    """Accounts with their owner, in one query per page (columns other apps add annotate
    theirs onto the same query)."""
    return accounts.select_related("owner")


def contact_list(contacts):
    """Contacts with their emails and current roles prefetched: three queries per page."""
    return contacts.prefetch_related(
        "emails",
        Prefetch(
            "stakeholders",
            queryset=Stakeholder.objects.current().select_related("account"),
            to_attr="current_roles",
        ),
    )


def account_people(account: Account) -> tuple[list, list]:
    """Current and former stakeholders of `account`; each former one carries `moved_to`, the
    roles they took at other accounts after leaving (two queries)."""
    today = timezone.localdate()
    periods = list(
        account.stakeholders.select_related("contact").order_by("contact__last_name", "-start_date")
    )
    current = [s for s in periods if s.end_date is None or s.end_date >= today]
    former = [s for s in periods if s.end_date is not None and s.end_date < today]
    if former:
        later = (
            Stakeholder.objects.filter(contact__in=[s.contact_id for s in former])
            .exclude(account=account)
            .select_related("account")
        )
        by_contact: dict[int, list] = {}
        for period in later:
            by_contact.setdefault(period.contact_id, []).append(period)
        for stakeholder in former:
            stakeholder.moved_to = [
                p
                for p in by_contact.get(stakeholder.contact_id, [])
                if p.start_date >= stakeholder.end_date
            ]
    former.sort(key=lambda s: s.end_date, reverse=True)
    return current, former


def contact_roles(contact: Contact):
    return contact.stakeholders.select_related("account").order_by("-start_date", "-id")


def role_history(contact: Contact, limit: int = 20) -> list:
    """Changes to the contact's stakeholder periods, each named by its account (two queries)."""
    records = Stakeholder.history.filter(contact_id=contact.pk)
    names = dict(
        Account.objects.filter(pk__in=records.values("account_id")).values_list("pk", "name")
    )
    related = {(Account, pk): name for pk, name in names.items()}
    return history_entries(
        Stakeholder,
        records,
        limit,
        related,
        describe=lambda record: f"Role at {names.get(record.account_id, 'a removed account')}",
    )
