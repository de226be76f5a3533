"""Helpers every list page shares: pagination and whitelisted sorting."""

from django.core.paginator import Paginator

PAGE_SIZE = 50


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """Return the requested page; a bad or too-large page number gives the nearest page."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def sort_queryset(request, queryset, allowed: dict[str, tuple[str, ...]], default: str):
    """Order by the `sort` parameter (`-name` for descending) when it names an allowed column.

    Returns the queryset and the sort key in effect; unknown keys fall back to `default`.
    """
    key = request.GET.get("sort", default)
    name = key.removeprefix("-")
    if name not in allowed:
        key, name = default, default.removeprefix("-")
    fields = allowed[name]
    if key.startswith("-"):
        fields = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
    return queryset.order_by(*fields), key


def query_without(request, *names: str) -> str:
    """The current query string minus `names` (to build sort and page links)."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()
