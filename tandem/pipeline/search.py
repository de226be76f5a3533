"""What the quick search finds among deals."""

from django.db.models import Q

from tandem.core.registry import SearchIndex, register_search_index
from tandem.pipeline.access import deals_for_user


def find_deals(user, words: list[str], limit: int) -> list:
    """Deals whose name or account's name contains every word, latest close first."""
    match = Q()
    for word in words:
        match &= Q(name__icontains=word) | Q(account__name__icontains=word)
    deals = deals_for_user(user).filter(match).select_related("account", "stage")
    return list(deals.order_by("-target_close_date")[:limit])


register_search_index(
    SearchIndex(
        name="deals",
        label="Deals",
        search=find_deals,
        template="pipeline/partials/_search_deal.html",
        order=30,
    )
)
