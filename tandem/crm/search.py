"""What the quick search finds among accounts and contacts."""

from django.db.models import Q

from tandem.core.registry import SearchIndex, register_search_index
from tandem.crm.access import accounts_for_user, contacts_for_user


def find_accounts(user, words: list[str], limit: int) -> list:
    """Accounts whose name contains every word."""
    match = Q()
    for word in words:
        match &= Q(name__icontains=word)
    return list(accounts_for_user(user).filter(match).order_by("name")[:limit])


def find_contacts(user, words: list[str], limit: int) -> list:
    """Contacts whose names or emails contain every word (each word anywhere)."""
    match = Q()
    for word in words:
        match &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(emails__email__icontains=word)
        )
    contacts = contacts_for_user(user).filter(match).distinct()
    return list(contacts.order_by("last_name", "first_name")[:limit])


register_search_index(
    SearchIndex(
        name="accounts",
        label="Accounts",
        search=find_accounts,
        template="crm/partials/_search_account.html",
        order=10,
    )
)
register_search_index(
    SearchIndex(
        name="contacts",
        label="Contacts",
        search=find_contacts,
        template="crm/partials/_search_contact.html",
        order=20,
    )
)
