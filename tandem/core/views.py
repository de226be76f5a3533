import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.core import today
from tandem.core.search import global_search

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Today: what needs the signed-in person, by their role (cards come from every app)."""
    wide = today.cards_for(request, request.user, "wide")
    cards = today.cards_for(request, request.user, "main")
    context = {
        "today": today.local_today(),
        "wide": wide,
        "cards": cards,
        "work": today.work_count(wide + cards),
    }
    return render(request, "core/today.html", context)


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        # The reason goes to the log, not to whoever asks (it can name hosts and users).
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = global_search(query, request.user) if len(query) >= 2 else None
    template = "core/partials/_search_results.html" if request.htmx else "core/search.html"
    return render(request, template, {"query": query, "results": results})
