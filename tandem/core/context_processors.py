from django.urls import reverse
from django.utils import timezone


def today(request):
    return {"today": timezone.localdate()}


def deals_url(request):
    # Cards link to `<deals_url><pk>/` rather than reversing two URLs for each of the board's
    # cards; pipeline/urls.py keeps the deal pages under this prefix.
    return {"deals_url": reverse("pipeline:deal_list")}
