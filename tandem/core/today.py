"""The Today page: what needs each person today, gathered from every app's panels.

An app adds a card by registering a `Panel` on page "today" (slot "main" for lists, "wide"
for charts across the page) whose `visible(user, user)` picks the roles it serves and whose
`context(request, user)` returns {"today": TodayList(...)} for the shared list template
(core/partials/_today_list.html), or what its own template needs. The page adds up the
cards' counts for its headline.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

TODAY_PAGE = "today"
LIST_TEMPLATE = "core/partials/_today_list.html"


@dataclass
class TodayItem:
    """One thing to look at: what it is, where to go, and one action a click away."""

    label: str
    url: str
    note: str = ""
    when: dt.date | dt.datetime | None = None
    # "danger" for overdue, "warning" for at risk, "" otherwise.
    tone: str = ""
    action_label: str = ""
    action_url: str = ""


@dataclass
class TodayList:
    """A card: its title, how many things it holds (beyond those shown), the first few
    (oldest or most urgent first), and where to see them all."""

    title: str
    count: int
    items: list[TodayItem] = field(default_factory=list)
    icon: str = "bi-check2-square"
    more_url: str = ""
    empty: str = "Nothing here today."
    # Cards that inform rather than ask (this week's closes) do not add to the headline.
    counts_as_work: bool = True
    # Said under the items instead of "N more", when `count` counts more than the list holds.
    footer: str = ""

    @property
    def hidden(self) -> int:
        return max(self.count - len(self.items), 0)


SHOWN = 5


def register_card(
    name: str,
    context,
    visible,
    order: int,
    *,
    template: str = LIST_TEMPLATE,
    slot: str = "main",
):
    """Add a card to the Today page: `context(request, user)` gives what it shows,
    `visible(user, user)` who sees it (say `people.roles.for_roles(...)`)."""
    from tandem.core.registry import Panel, register_panel

    return register_panel(
        Panel(
            page=TODAY_PAGE,
            name=name,
            template=template,
            context=context,
            visible=visible,
            slot=slot,
            order=order,
        )
    )


def local_today() -> dt.date:
    return timezone.localdate()


def first_and_count(queryset, shown: int = SHOWN) -> tuple[list, int]:
    """The first `shown` rows of an ordered queryset and how many it holds in all.

    One pass reads the ids in order, which the database sorts from its indexes, and so
    gives the count too; then only the rows shown are read in full. Sorting whole rows
    (with their joins), or scanning twice (rows, then a count), made the card of a seller
    with thousands of deals slow. Two queries, one when there is nothing to show.
    """
    ids = list(queryset.values_list("pk", flat=True))
    found = queryset.in_bulk(ids[:shown]) if ids else {}
    return [found[pk] for pk in ids[:shown]], len(ids)


def cards_for(request, user, slot: str) -> list[tuple]:
    """(panel, context) for each card `user` sees in `slot`, in the panels' order."""
    from tandem.core.registry import registry

    cards = []
    for panel in registry.panels_for(TODAY_PAGE, slot):
        if not panel.visible(user, user):
            continue
        cards.append((panel, panel.context(request, user) if panel.context else {}))
    return cards


def work_count(cards: list[tuple]) -> int:
    """How many things ask for the user's attention across the cards."""
    total = 0
    for _panel, context in cards:
        today = context.get("today")
        if isinstance(today, TodayList) and today.counts_as_work:
            total += today.count
    return total
