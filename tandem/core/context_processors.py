from django.urls import reverse
from django.utils import timezone

from tandem.core.nav import navigation as build


def today(request):
    return {"today": timezone.localdate()}


def deals_url(request):
    # Cards link to `<deals_url><pk>/` rather than reversing two URLs for each of the board's
    # cards; pipeline/urls.py keeps the deal pages under this prefix.
    return {"deals_url": reverse("pipeline:deal_list")}


def navigation(request):
    # Built lazily: a template that never shows the bar (the customer's page, an error) pays
    # nothing for the permission checks.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    return {"nav_menus": lambda: build(user, view_name)}
