from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.conf import settings

register = template.Library()

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$"}


def _with_currency(value, currency, places: int) -> str:
    if value is None or value == "":
        return "—"
    code = (currency or settings.TANDEM_CURRENCY).upper()
    amount = Decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    text = f"{amount:,.{places}f}"
    symbol = SYMBOLS.get(code)
    return f"{symbol}{text}" if symbol else f"{text} {code}"


@register.filter
def money(value, currency=None):
    """Whole units with thousands separators and the currency symbol: $125,000."""
    return _with_currency(value, currency, 0)


@register.filter
def price(value, currency=None):
    """A unit price or cost to the cent, with the currency symbol: $14,500.00."""
    return _with_currency(value, currency, 2)


@register.filter
def compact_money(value, currency=None):
    """Short amounts for board headers and cards: $999, $85k, $1.2M, $10.0B, $1.5T.

    Each figure is rounded half up in the unit it shows, and takes the next unit up when the
    rounding reaches a thousand (999,960 is $1.0M, never $1000k)."""
    if value is None or value == "":
        return "—"
    code = (currency or settings.TANDEM_CURRENCY).upper()
    symbol = SYMBOLS.get(code, f"{code} ")
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    whole = amount.quantize(Decimal("1"), ROUND_HALF_UP)
    if whole < 1000:
        return f"{sign}{symbol}{whole}"
    thousands = amount.scaleb(-3).quantize(Decimal("1"), ROUND_HALF_UP)
    if thousands < 1000:
        return f"{sign}{symbol}{thousands}k"
    for suffix, power in (("M", 6), ("B", 9)):
        shown = amount.scaleb(-power).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if shown < 1000:
            return f"{sign}{symbol}{shown}{suffix}"
    trillions = amount.scaleb(-12).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{sign}{symbol}{trillions:,}T"


@register.simple_tag(takes_context=True)
def sort_link(context, key: str, label: str):
    """A column header that sorts by `key`, flipping direction when already sorted by it."""
    from django.utils.html import format_html

    current = context.get("sort", "")
    base = context.get("query_without_sort", "")
    new = f"-{key}" if current == key else key
    arrow = " ▲" if current == key else (" ▼" if current == f"-{key}" else "")
    href = f"?{base}&sort={new}" if base else f"?sort={new}"
    return format_html('<a href="{}" class="sort-link">{}{}</a>', href, label, arrow)


@register.simple_tag(takes_context=True)
def page_url(context, number: int):
    base = context.get("query_without_page", "")
    return f"?{base}&page={number}" if base else f"?page={number}"


def _render_part(context, template_name: str, **extra) -> str:
    """Render another app's template inside this page, with the page's context and `extra`."""
    template = context.template.engine.get_template(template_name)
    with context.push(**extra):
        return template.render(context)


@register.simple_tag(takes_context=True)
def panels(context, page: str, obj, slot: str = "main"):
    """Render the panels other apps registered for `slot` of `page`, about `obj`.

    Each panel's template sees the page's context plus its own; a panel whose `visible`
    says no for this user is left out.
    """
    from django.utils.safestring import mark_safe

    from tandem.core.registry import registry

    request = context["request"]
    state = context.get("panel_state") or {}
    rendered = []
    for panel in registry.panels_for(page, slot):
        if not panel.visible(request.user, obj):
            continue
        extra = panel.context(request, obj, **state.get(panel.name, {})) if panel.context else {}
        rendered.append(_render_part(context, panel.template, **extra))
    return mark_safe("".join(rendered))  # noqa: S308 - each part was rendered by a template


@register.simple_tag(takes_context=True)
def panel_part(context, panel, extra):
    """One panel whose context the view has worked out already (the Today page's cards)."""
    return _render_part(context, panel.template, **extra)


@register.simple_tag(takes_context=True)
def column_cell(context, column, row):
    """One cell of a column another app added to a list page."""
    return _render_part(context, column.template, row=row)


@register.simple_tag(takes_context=True)
def search_row(context, index, row):
    """One quick-search result, as the app that found it shows it."""
    return _render_part(context, index.template, row=row)


@register.inclusion_tag("core/partials/_chart.html")
def chart(chart):
    """A Chart.js chart (tandem.core.charts.Chart) with its numbers in a table below."""
    return {"chart": chart, "config": chart.config(), "config_id": f"chart-{chart.name}-config"}


# Query keys that page, sort or pick a tab: they narrow nothing, so an empty list under them
# is empty, not "filtered to nothing".
NOT_FILTERS = frozenset({"page", "sort", "tab"})


@register.filter
def has_filters(query) -> bool:
    """Whether a request's GET holds a filter with a value (so an empty list is the filter's
    doing and the page offers to clear it)."""
    return any(
        key not in NOT_FILTERS and any(v.strip() for v in query.getlist(key)) for key in query
    )
