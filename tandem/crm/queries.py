"""Read-side queries for the CRM pages: a fixed number of SQL queries whatever the data."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from tandem.core.history import history_entries
from tandem.crm.models import Account, Activity, Contact, Stakeholder
from tandem.pipeline.models import Deal

DEALS_SHOWN = 50


def account_list(accounts):
    """Accounts with their owner and number of open deals, in one query per page."""
    open_deals = (
        Deal.objects.open()
        .filter(account=OuterRef("pk"))
        .order_by()
        .values("account")
        .annotate(n=Count("id"))
        .values("n")
    )
    return accounts.select_related("owner").annotate(
        open_deal_count=Coalesce(Subquery(open_deals, output_field=IntegerField()), 0)
    )


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


def account_deals(account: Account) -> tuple[list, list]:
    """Open and closed deals of the account, at most DEALS_SHOWN of each (two queries)."""
    deals = account.deals.select_related("stage", "owner")
    open_deals = list(deals.filter(stage__is_won=False, stage__is_lost=False)[:DEALS_SHOWN])
    closed = list(
        deals.exclude(stage__is_won=False, stage__is_lost=False).order_by("-closed_on", "-id")[
            :DEALS_SHOWN
        ]
    )
    return open_deals, closed


def timeline(activities):
    """Activities with their author, deal, contacts and attendees (four queries)."""
    return activities.select_related("author", "deal").prefetch_related("contacts", "attendees")


def contact_roles(contact: Contact):
    return contact.stakeholders.select_related("account").order_by("-start_date", "-id")


def contact_activities(contact: Contact, limit: int = 20):
    return timeline(Activity.objects.filter(contacts=contact))[:limit]


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
