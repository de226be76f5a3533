"""Pipeline hygiene: per seller and for the team, a panel on the board or a page."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.closeplans.hygiene import (
    PUSH_WINDOW_DAYS,
    pipeline_hygiene,
    push_trend,
    push_trend_chart,
)

TODAY_VIEW = "today"


@require_GET
def hygiene(request: HttpRequest) -> HttpResponse:
    """The board (and the Today page, `?view=today`) load the table alone through HTMX; a
    plain visit gets the whole page."""
    # The whole team's figures: everyone who reads deals sees every seller's, on purpose.
    if not request.user.has_perm("pipeline.view_deal"):
        raise PermissionDenied("You cannot see deals.")
    if request.htmx and request.GET.get("view") == TODAY_VIEW:
        # The Today card's few columns, loaded after the page: the figures read every open
        # deal, too slow to hold up the rest of the executive's page.
        context = {"hygiene": pipeline_hygiene(), "window_days": PUSH_WINDOW_DAYS}
        return render(request, "closeplans/partials/_today_hygiene_table.html", context)
    figures = pipeline_hygiene()
    context = {"hygiene": figures, "window_days": PUSH_WINDOW_DAYS}
    if request.htmx:
        return render(request, "closeplans/partials/_hygiene.html", context)
    # The page alone carries the weekly trend: the board's panel stays a quick table.
    context["trend"] = push_trend_chart(push_trend(), figures)
    return render(request, "closeplans/hygiene.html", context)
