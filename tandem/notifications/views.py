"""The inbox: a person's notices, unread first; opening one marks it read."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from tandem.core.pages import paginate, query_without
from tandem.notifications import services
from tandem.notifications.models import Notification

PER_PAGE = 25
# The bell's dropdown shows this many of the newest notices; the inbox has the rest.
BELL_ITEMS = 8


def _own(request: HttpRequest, pk: int) -> Notification:
    # Someone else's notice answers like a missing one: its existence is private too.
    return get_object_or_404(Notification, pk=pk, recipient=request.user)


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/inbox.html",
        {
            "page_obj": paginate(request, services.notifications_for(request.user), PER_PAGE),
            "query_without_page": query_without(request, "page"),
        },
    )


@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The bell's dropdown, loaded when it opens: the newest notices, each a link to what it
    is about (reading it on the way), and the unread count, swapped into the bell too."""
    return _bell(request)


def _bell(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/partials/_bell.html",
        {
            "latest": services.latest_for(request.user, BELL_ITEMS),
            "unread": services.unread_count(request.user),
        },
    )


@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notice to its page, marking it read on the way."""
    notification = services.do_mark_read(_own(request, pk))
    url = notification.url
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(url)
    return redirect("notifications:inbox")


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = services.do_mark_read(_own(request, pk))
    if request.htmx:
        return render(
            request, "notifications/partials/_notification.html", {"notification": notification}
        )
    return redirect("notifications:inbox")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.do_mark_all_read(request.user)
    if request.htmx:
        return _bell(request)
    messages.success(
        request, f"Marked {count} notice{'' if count == 1 else 's'} read." if count else "All read."
    )
    return redirect("notifications:inbox")
