"""Estimate request pages: a seller asks for numbers from a deal, estimators work the request
through its status, and everyone who reads deals follows it.

A status action that is refused shows the request's page again with the form that was sent,
its errors and what was typed; attachments are only ever served through `attachment_download`,
which checks who asks.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.forms import add_service_errors
from tandem.core.pages import paginate, query_without
from tandem.core.services import version_of
from tandem.estimates import access
from tandem.estimates.models import (
    RequestAttachment,
    RequestEstimator,
    RequestStatus,
)
from tandem.estimates.requests.forms import (
    AgainForm,
    AttachForm,
    DeclineForm,
    EstimatorFormSet,
    RequestForm,
    ReturnForm,
    default_needed_by,
)
from tandem.estimates.requests.services import (
    REQUEST_FIELDS,
    do_add_attachments,
    do_create_request,
    do_decline_request,
    do_remove_attachment,
    do_return_request,
    do_send_round_again,
    do_start_request,
    do_update_request,
    overdue_requests,
)
from tandem.pipeline.access import get_deal_for_user

DETAIL = "estimates/request_detail.html"
FORM = "estimates/request_form.html"
PAGE_SIZE = 25
TABS = {"mine": "Mine", "open": "Open", "overdue": "Overdue", "all": "All"}


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_estimator(user) -> None:
    _require(access.can_edit_estimates(user), "Only estimators work on estimate requests.")


def _require_requester(user, deal) -> None:
    _require(
        access.can_request_estimate(user, deal),
        "Only the deal's owner or a manager asks for estimates on it.",
    )


def _tab_rows(user, tab: str, today):
    visible = access.requests_for_user(user)
    if tab == "overdue":
        # The service's order (longest overdue first), narrowed to what the user may see.
        return overdue_requests(today) & visible
    if tab == "open":
        return visible.open().order_by("needed_by", "id")
    if tab == "mine":
        assigned = RequestEstimator.objects.filter(estimator=user).values("request")
        visible = visible.filter(Q(requested_by=user) | Q(pk__in=assigned))
    return visible.order_by("-created_at", "-id")


@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "mine")
    tab = tab if tab in TABS else "mine"
    today = timezone.localdate()
    rows = (
        _tab_rows(request.user, tab, today)
        .select_related("deal", "deal__account", "requested_by")
        .prefetch_related(
            Prefetch("assignments", queryset=RequestEstimator.objects.select_related("estimator"))
        )
    )
    return render(
        request,
        "estimates/request_list.html",
        {
            "tab": tab,
            "tabs": TABS,
            "page_obj": paginate(request, rows, PAGE_SIZE),
            "query_without_page": query_without(request, "page"),
            "overdue_count": (overdue_requests(today) & access.requests_for_user(request.user))
            .order_by()
            .count(),
        },
    )


def _both_valid(form, formset) -> bool:
    # Both are checked so every mistake shows at once.
    return all([form.is_valid(), formset.is_valid()])


@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, deal_pk: int) -> HttpResponse:
    deal = get_deal_for_user(request.user, deal_pk)
    _require_requester(request.user, deal)
    posted = (request.POST, request.FILES) if request.method == "POST" else ()
    form = RequestForm(*posted, initial={"title": deal.name, "needed_by": default_needed_by()})
    formset = EstimatorFormSet(request.POST or None)
    if request.method == "POST" and _both_valid(form, formset):
        try:
            created = do_create_request(
                request.user,
                deal,
                estimators=formset.estimators(),
                files=form.cleaned_data["files"],
                **form.request_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Estimate request sent to {_names(created)}.")
            return redirect(created)
    return render(
        request,
        FORM,
        {"form": form, "formset": formset, "deal": deal, "estimate_request": None},
        status=400 if form.is_bound else 200,
    )


def _names(estimate_request) -> str:
    names = sorted({a.estimator.name for a in estimate_request.assignments.all()})
    return ", ".join(names)


@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    req = access.get_request_for_user(request.user, pk)
    _require_requester(request.user, req.deal)
    assignments = req.assignments.select_related("estimator")
    form = RequestForm(
        request.POST or None,
        current=req,
        initial={
            **{name: getattr(req, name) for name in REQUEST_FIELDS},
            "version": version_of(req),
        },
    )
    formset = EstimatorFormSet(
        request.POST or None,
        initial=[{"estimator": a.estimator, "part": a.part} for a in assignments],
    )
    if request.method == "POST" and _both_valid(form, formset):
        try:
            saved = do_update_request(
                req,
                request.user,
                form.request_fields(),
                estimators=formset.estimators(),
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Estimate request saved.")
            return redirect(saved)
    return render(
        request,
        FORM,
        {"form": form, "formset": formset, "deal": req.deal, "estimate_request": req},
        status=400 if form.is_bound else 200,
    )


def _status_history(req) -> list:
    """The request's history records where its status, note or needed-by date changed."""
    records = req.history.select_related("history_user").order_by("history_id")[:200]
    changes = []
    before = None
    for record in records:
        if before is None or (record.status, record.status_note, record.needed_by) != (
            before.status,
            before.status_note,
            before.needed_by,
        ):
            record.needed_by_moved = before is not None and record.needed_by != before.needed_by
            record.status_moved = before is None or record.status != before.status
            changes.append(record)
        before = record
    return changes


def _detail_context(request, req, **forms) -> dict:
    user = request.user
    estimates_for_it = access.can_edit_estimates(user)
    asks_for_it = access.can_request_estimate(user, req.deal)
    return {
        "req": req,
        "deal": req.deal,
        "assignments": req.assignments.select_related("estimator"),
        "attachments": req.attachments.select_related("uploaded_by"),
        "scenarios": req.estimates.select_related("latest_version").order_by("created_at", "id"),
        "status_history": _status_history(req),
        "can_work": estimates_for_it and req.is_open,
        "can_build": estimates_for_it and req.status != RequestStatus.DECLINED,
        "can_edit": asks_for_it and req.is_open,
        "can_send_again": asks_for_it
        and req.status in (RequestStatus.RETURNED, RequestStatus.ACCEPTED),
        "can_attach": estimates_for_it or asks_for_it,
        "return_form": forms.get("return_form") or ReturnForm(),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "again_form": forms.get("again_form")
        or AgainForm(initial={"needed_by": default_needed_by()}),
        "attach_form": forms.get("attach_form") or AttachForm(),
    }


@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = access.get_request_for_user(request.user, pk)
    return render(request, DETAIL, _detail_context(request, req))


def _act(request, pk: int, require, form_name: str, form_class, write, success: str):
    """Run one status action posted from the request's page.

    `require(user, req)` refuses who may not; `write(req, data)` calls the service. A refusal
    shows the page again with this form bound, its errors and what was typed.
    """
    req = access.get_request_for_user(request.user, pk)
    require(request.user, req)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            write(req, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(req)
    context = _detail_context(request, req, **{form_name: form})
    return render(request, DETAIL, context, status=400)


@require_POST
def request_start(request: HttpRequest, pk: int) -> HttpResponse:
    req = access.get_request_for_user(request.user, pk)
    _require_estimator(request.user)
    try:
        do_start_request(req, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Marked in progress: the seller can see you are on it.")
    return redirect(req)


@require_POST
def request_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda user, req: _require_estimator(user),
        "return_form",
        ReturnForm,
        lambda req, data: do_return_request(req, request.user, note=data["note"]),
        "Returned to the seller with its scenarios.",
    )


@require_POST
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda user, req: _require_estimator(user),
        "decline_form",
        DeclineForm,
        lambda req, data: do_decline_request(req, request.user, reason=data["reason"]),
        "Request declined; the seller is told why.",
    )


@require_POST
def request_again(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda user, req: _require_requester(user, req.deal),
        "again_form",
        AgainForm,
        lambda req, data: do_send_round_again(
            req, request.user, note=data["note"], needed_by=data["needed_by"]
        ),
        "Sent round again: the estimators are told what to change.",
    )


@require_POST
def request_attach(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda user, req: _require(
            access.can_edit_estimates(user) or access.can_request_estimate(user, req.deal),
            "Only the deal's owner, a manager or an estimator adds files.",
        ),
        "attach_form",
        AttachForm,
        lambda req, data: do_add_attachments(req, request.user, data["files"]),
        "Files attached.",
    )


@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(RequestAttachment, pk=pk)
    req = access.get_request_for_user(request.user, attachment.request_id, write=True)
    do_remove_attachment(attachment, request.user)
    messages.success(request, f"{attachment.name} removed.")
    return redirect(req)


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(RequestAttachment, pk=pk)
    access.get_request_for_user(request.user, attachment.request_id)
    try:
        content = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("This file is no longer stored.") from error
    response = FileResponse(
        content,
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    # Served as what we checked it to be, never as what a browser guesses from its bytes.
    response["X-Content-Type-Options"] = "nosniff"
    return response
