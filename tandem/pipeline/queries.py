"""Read-side queries for the pipeline pages: a fixed number of SQL queries whatever the data."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from tandem.crm.models import Account, Contact, Influence, Stakeholder
from tandem.pipeline.models import Activity, Deal, Stage

CARDS_PER_COLUMN = 20
# The deal page names at most this many people of the account, deciders first.
STAKEHOLDERS_SHOWN = 12
_INFLUENCE_ORDER = [
    Influence.DECISION_MAKER,
    Influence.CHAMPION,
    Influence.FINANCE,
    Influence.BLOCKER,
    Influence.USER,
    Influence.OTHER,
]
# An account page lists at most this many open deals, and as many closed ones.
DEALS_SHOWN = 50


@dataclass
class Column:
    stage: Stage
    count: int = 0
    amount: Decimal = Decimal(0)
    weighted: Decimal = Decimal(0)
    # Totals in currencies other than the company's, never added to the main total.
    other_currencies: dict = field(default_factory=dict)
    cards: list = field(default_factory=list)

    @property
    def hidden(self) -> int:
        return self.count - len(self.cards)


def board_columns(deals, cards_per_column: int = CARDS_PER_COLUMN) -> list[Column]:
    """One column per stage with count, amount and weighted amount of `deals` in it, and the
    first cards by close date. Queries: stages, totals and one per stage for its cards (the
    panels on the cards load theirs for all cards at once)."""
    columns = {stage.pk: Column(stage) for stage in Stage.objects.order_by("order")}
    _add_totals(columns, deals)
    if cards_per_column:
        _add_cards(columns, deals, cards_per_column)
    return list(columns.values())


def _add_totals(columns: dict, deals) -> None:
    company = settings.TANDEM_CURRENCY
    # Grouped by probability as well, so the database only adds amounts up and the weighting
    # is a few multiplications here rather than one per deal there.
    totals = (
        deals.order_by()
        .values("stage_id", "currency", "probability")
        .annotate(n=Count("*"), total=Sum("amount"))
    )
    for row in totals:
        column = columns.get(row["stage_id"])
        if column is None:
            continue
        column.count += row["n"]
        if row["currency"] == company:
            column.amount += row["total"] or 0
            column.weighted += (row["total"] or 0) * row["probability"] / Decimal(100)
        else:
            others = column.other_currencies
            others[row["currency"]] = others.get(row["currency"], 0) + (row["total"] or 0)


def _add_cards(columns: dict, deals, cards_per_column: int) -> None:
    # One small query per stage: each walks the (stage, nurture, close date) index and stops
    # after a column's worth, where ranking every deal in one query reads them all.
    since = _recent_close_start(timezone.localdate())
    for stage_id, column in columns.items():
        cards = deals.filter(stage_id=stage_id).select_related("account", "owner", "stage")
        if column.stage.is_closed:
            # Latest closes first; the explicit range lets the index seek to them.
            cards = cards.filter(closed_on__gte=since).order_by("-closed_on", "-id")
        else:
            cards = cards.order_by("target_close_date", "id")
        column.cards = list(cards[:cards_per_column])


def column_totals(deals, stages: list[Stage]) -> list[Column]:
    """The header figures of some columns (after a card moved between them): one query."""
    columns = {stage.pk: Column(stage) for stage in stages}
    _add_totals(columns, deals.filter(stage__in=stages))
    return list(columns.values())


def deal_list(deals):
    return deals.select_related("account", "owner", "stage")


RECENT_CLOSE_DAYS = 90


def _recent_close_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=RECENT_CLOSE_DAYS)


def board_deals(today: dt.date | None = None):
    """Deals on the board: open deals not in nurture, and deals won or lost in the last
    RECENT_CLOSE_DAYS days (older closes are in the deal list)."""
    since = _recent_close_start(today or timezone.localdate())
    # closed_on is set exactly when a deal is won or lost, so no join to the stages is needed
    # and the totals are read from the board index alone.
    return Deal.objects.in_pipeline().filter(Q(closed_on__isnull=True) | Q(closed_on__gte=since))


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


def contact_activities(contact: Contact, limit: int = 20):
    return timeline(Activity.objects.filter(contacts=contact))[:limit]


def deal_stakeholders(deal: Deal) -> list[Stakeholder]:
    """Who is at the deal's account today, in one query: who decides, who champions, then
    finance, blockers, users and the rest; at most STAKEHOLDERS_SHOWN."""
    rank = Case(
        *[When(influence=value, then=Value(i)) for i, value in enumerate(_INFLUENCE_ORDER)],
        default=Value(len(_INFLUENCE_ORDER)),
        output_field=IntegerField(),
    )
    return list(
        Stakeholder.objects.current()
        .filter(account_id=deal.account_id)
        .select_related("contact")
        .annotate(rank=rank)
        .order_by("rank", "contact__last_name", "contact__first_name", "id")[:STAKEHOLDERS_SHOWN]
    )
