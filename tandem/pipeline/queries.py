"""Read-side queries for the pipeline pages: a fixed number of SQL queries whatever the data."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum, Window
from django.db.models.functions import RowNumber

from tandem.pipeline.models import Deal, Stage

CARDS_PER_COLUMN = 25

WEIGHTED = ExpressionWrapper(
    F("amount") * F("probability") / Decimal(100),
    output_field=DecimalField(max_digits=16, decimal_places=2),
)


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
    first cards by close date. Three queries: stages, totals, cards."""
    columns = {stage.pk: Column(stage) for stage in Stage.objects.order_by("order")}
    _add_totals(columns, deals)
    if cards_per_column:
        _add_cards(columns, deals, cards_per_column)
    return list(columns.values())


def _add_totals(columns: dict, deals) -> None:
    company = settings.TANDEM_CURRENCY
    totals = (
        deals.order_by()
        .values("stage_id", "currency")
        .annotate(n=Count("id"), total=Sum("amount"), weighted_total=Sum(WEIGHTED))
    )
    for row in totals:
        column = columns.get(row["stage_id"])
        if column is None:
            continue
        column.count += row["n"]
        if row["currency"] == company:
            column.amount += row["total"] or 0
            column.weighted += row["weighted_total"] or 0
        else:
            column.other_currencies[row["currency"]] = row["total"] or 0


def _add_cards(columns: dict, deals, cards_per_column: int) -> None:
    ranked = (
        deals.select_related("account", "owner", "stage")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("stage_id")],
                order_by=[F("target_close_date").asc(), F("id").asc()],
            )
        )
        .filter(rank__lte=cards_per_column)
        .order_by("stage_id", "rank")
    )
    for deal in ranked:
        columns[deal.stage_id].cards.append(deal)


def column_totals(deals, stages: list[Stage]) -> list[Column]:
    """The header figures of some columns (after a card moved between them): one query."""
    columns = {stage.pk: Column(stage) for stage in stages}
    _add_totals(columns, deals.filter(stage__in=stages))
    return list(columns.values())


def deal_list(deals):
    return deals.select_related("account", "owner", "stage")


def board_deals():
    """Deals on the board: everything not in nurture."""
    return Deal.objects.in_pipeline()
