"""Quick search across accounts, contacts and deals: a few best matches of each."""

from dataclasses import dataclass

from django.db.models import Q

from tandem.crm.models import Account, Contact
from tandem.pipeline.models import Deal

PER_KIND = 8


@dataclass
class SearchResults:
    accounts: list
    contacts: list
    deals: list

    @property
    def empty(self) -> bool:
        return not (self.accounts or self.contacts or self.deals)


def global_search(query: str, limit: int = PER_KIND) -> SearchResults:
    """Match names (and contact emails) containing every word of `query`."""
    words = query.split()
    account_q, contact_q, deal_q = Q(), Q(), Q()
    for word in words:
        account_q &= Q(name__icontains=word)
        contact_q &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(emails__email__icontains=word)
        )
        deal_q &= Q(name__icontains=word) | Q(account__name__icontains=word)
    contacts = Contact.objects.filter(contact_q).distinct().order_by("last_name", "first_name")
    return SearchResults(
        accounts=list(Account.objects.filter(account_q).order_by("name")[:limit]),
        contacts=list(contacts[:limit]),
        deals=list(
            Deal.objects.filter(deal_q)
            .select_related("account", "stage")
            .order_by("-target_close_date")[:limit]
        ),
    )
