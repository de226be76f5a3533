from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.access import require_perm
from tandem.core.currencies import default_currency
from tandem.core.forms import add_service_errors, submit
from tandem.core.history import history_for
from tandem.core.pages import paginate, query_without, sort_queryset
from tandem.core.registry import prepare_panels
from tandem.core.services import version_of
from tandem.crm.access import get_account_for_user
from tandem.crm.models import Account
from tandem.crm.views import account_page
from tandem.pipeline import queries, services
from tandem.pipeline.access import (
    can_add_deal,
    can_edit_deal,
    can_log_activity,
    deals_for_user,
    get_deal_for_user,
)
from tandem.pipeline.filters import DealFilter
from tandem.pipeline.forms import (
    ActivityForm,
    CloseDateForm,
    DealActivityForm,
    DealForm,
    LostForm,
    MoveForm,
    NextStepForm,
    NurtureForm,
    ReopenForm,
    default_close_date,
)
from tandem.pipeline.models import Stage

DEAL_SORTS = {
    "name": ("name", "id"),
    "account": ("account__name", "id"),
    "owner": ("owner__display_name", "id"),
    "stage": ("stage__order", "id"),
    "amount": ("amount", "id"),
    "close": ("target_close_date", "id"),
    "probability": ("probability", "id"),
}


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "pipeline.view_deal", "You cannot see deals.")
    deal_filter = DealFilter(request.GET, queryset=queries.board_deals(), request=request)
    deals = deal_filter.qs if deal_filter.is_valid() else queries.board_deals().none()
    columns = queries.board_columns(deals)
    cards = [card for column in columns for card in column.cards]
    for card in cards:
        card.editable = can_edit_deal(request.user, card)
    prepare_panels("board_card", request, cards)
    return render(
        request,
        "pipeline/board.html",
        {
            "filter": deal_filter,
            "columns": columns,
            # The board has no status filter: each column links to the list with its own.
            "filter_query": query_without(request, "page", "sort", "status"),
            "can_add": can_add_deal(request.user),
        },
    )


@require_POST
def deal_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a card to another column (HTMX from the board, or a plain form on the deal page).

    A refused move answers with the card and the reason; the board puts the card back.
    """
    # A plain form post is refused outright; a drag on the board gets the card back with why.
    deal = get_deal_for_user(request.user, pk, write=not request.htmx)
    form = MoveForm(request.POST)
    old_stage = deal.stage
    error = None
    if not can_edit_deal(request.user, deal):
        error = "Only the deal's owner or a manager can move this deal."
    elif not form.is_valid():
        error = "Pick a stage that exists."
    else:
        try:
            deal = services.do_move_deal(deal, request.user, form.cleaned_data["stage"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, f"Moved to {deal.stage.name}.")
        return redirect(deal)
    deal = get_deal_for_user(request.user, pk)
    deal.editable = can_edit_deal(request.user, deal)
    prepare_panels("board_card", request, [deal])
    stages = [old_stage] if deal.stage_id == old_stage.pk else [old_stage, deal.stage]
    deal_filter = DealFilter(request.GET, queryset=queries.board_deals(), request=request)
    deals = deal_filter.qs if deal_filter.is_valid() else queries.board_deals()
    response = render(
        request,
        "pipeline/partials/_card_moved.html",
        {
            "deal": deal,
            "error": error,
            "columns": queries.column_totals(deals, stages),
        },
    )
    if error:
        response["HX-Trigger"] = "dealMoveRefused"
    return response


@require_GET
def deal_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "pipeline.view_deal", "You cannot see deals.")
    data = request.GET.copy()
    # The list starts on open deals; choosing "Any" status (an empty value) shows them all.
    data.setdefault("status", "open")
    deal_filter = DealFilter(data, queryset=deals_for_user(request.user), request=request)
    deals = deal_filter.qs if deal_filter.is_valid() else deal_filter.queryset.none()
    deals, sort = sort_queryset(request, queries.deal_list(deals), DEAL_SORTS, "close")
    return render(
        request,
        "pipeline/deal_list.html",
        {
            "filter": deal_filter,
            "page_obj": paginate(request, deals),
            "sort": sort,
            "query_without_sort": query_without(request, "sort", "page"),
            "query_without_page": query_without(request, "page"),
            "can_add": can_add_deal(request.user),
        },
    )


@require_GET
def deal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deal = get_deal_for_user(request.user, pk)
    return render(request, "pipeline/deal_detail.html", detail_context(request, deal))


def detail_context(
    request, deal, close_date_form=None, *, panel_state=None, forms: dict | None = None
) -> dict:
    """The deal page's own context. Other apps add their sections as panels; `panel_state`
    hands a panel what it was given (say, its refused forms), keyed by the panel's name.
    `forms` replaces the page's own blank forms by bound ones after a refusal, by context
    name (lost_form, nurture_form, reopen_form, activity_form, next_step_form)."""
    forms = forms or {}
    return {
        "panel_state": panel_state or {},
        "deal": deal,
        "editable": can_edit_deal(request.user, deal),
        "close_date_changes": deal.close_date_changes.select_related("changed_by")[:50],
        **activity_context(request, deal, forms.get("activity_form")),
        "stakeholders": queries.deal_stakeholders(deal)
        if request.user.has_perm("crm.view_contact")
        else None,
        "history": history_for(deal),
        "stages": Stage.objects.all(),
        "close_date_form": close_date_form
        or CloseDateForm(initial={"target_close_date": deal.target_close_date}),
        "lost_form": forms.get("lost_form") or LostForm(),
        "nurture_form": forms.get("nurture_form") or NurtureForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "next_step_form": forms.get("next_step_form")
        or NextStepForm(initial={"next_step": deal.next_step}),
    }


def activity_context(request, deal, form=None, *, logged=None) -> dict:
    """The deal's latest activities and, for whoever may log one, the form (bound after a
    refusal). Three queries: the activities, their contacts and attendees; one more for the
    form's choice of contacts."""
    if form is None and can_log_activity(request.user):
        form = DealActivityForm(deal=deal)
    return {
        "activities": deal.activities.select_related("author").prefetch_related(
            "contacts", "attendees"
        )[:20],
        "activity_form": form,
        "logged": logged,
    }


@require_http_methods(["GET", "POST"])
def deal_create(request: HttpRequest) -> HttpResponse:
    if not can_add_deal(request.user):
        raise PermissionDenied("Your role cannot open deals.")
    initial = {"target_close_date": default_close_date(), "currency": default_currency()}
    if account_id := request.GET.get("account"):
        initial["account"] = (
            Account.objects.filter(pk=account_id).first() if account_id.isdigit() else None
        )
    form = DealForm(request.POST or None, initial=initial, user=request.user)

    def write(data):
        return services.do_create_deal(
            request.user,
            confirm_amount=data["confirm_amount"],
            **form.new_deal_fields(),
        )

    if deal := submit(request, form, write, lambda d: f"Deal “{d.name}” opened."):
        return redirect(deal)
    status = 400 if form.is_bound else 200
    return render(request, "pipeline/deal_form.html", {"form": form, "deal": None}, status=status)


@require_http_methods(["GET", "POST"])
def deal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    deal = get_deal_for_user(request.user, pk, write=True)
    form = DealForm(
        request.POST or None,
        instance=deal,
        initial={"version": version_of(deal)},
        user=request.user,
    )

    def write(data):
        try:
            return services.do_update_deal(
                deal,
                request.user,
                form.changes(),
                close_date_reason=data.get("close_date_reason", ""),
                shift_plan=data.get("shift_plan", True),
                confirm_past=data.get("confirm_past", False),
                version=data.get("version"),
                confirm_amount=data["confirm_amount"],
            )
        except ValidationError as exc:
            # The service names the reason `reason`; on this form it is close_date_reason.
            if hasattr(exc, "error_dict") and "reason" in exc.error_dict:
                exc.error_dict["close_date_reason"] = exc.error_dict.pop("reason")
            raise

    if saved := submit(request, form, write, lambda d: "Deal saved."):
        return redirect(saved)
    status = 400 if form.is_bound else 200
    return render(request, "pipeline/deal_form.html", {"form": form, "deal": deal}, status=status)


def _deal_action(request, pk, form_class, form_name: str, action, success: str):
    """Run one state change posted from the deal page. A refusal shows the deal page again
    with the form as it was filled in and the errors beside its fields."""
    deal = get_deal_for_user(request.user, pk, write=True)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(deal, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(deal)
    context = detail_context(request, deal, forms={form_name: form})
    # What the deal's state refused (already closed, in nurture already) is about the page,
    # not a field, and shows above it whichever form was sent.
    context["action_errors"] = form.non_field_errors()
    return render(request, "pipeline/deal_detail.html", context, status=400)


@require_POST
def deal_close_date(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the close date; a refusal shows the page again with what was typed kept."""
    deal = get_deal_for_user(request.user, pk, write=True)
    form = CloseDateForm(request.POST)
    if form.is_valid():
        try:
            services.do_change_close_date(
                deal,
                request.user,
                form.cleaned_data["target_close_date"],
                form.cleaned_data["reason"],
                shift_plan=form.cleaned_data["shift_plan"],
                confirm_past=form.cleaned_data["confirm_past"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Close date changed and kept in the history.")
            return redirect(deal)
    context = detail_context(request, deal, close_date_form=form)
    return render(request, "pipeline/deal_detail.html", context, status=400)


@require_POST
def deal_lost(request: HttpRequest, pk: int) -> HttpResponse:
    return _deal_action(
        request,
        pk,
        LostForm,
        "lost_form",
        lambda deal, data: services.do_mark_lost(
            deal, request.user, reason=data["lost_reason"], note=data["lost_note"]
        ),
        "Deal marked lost.",
    )


@require_POST
def deal_nurture(request: HttpRequest, pk: int) -> HttpResponse:
    return _deal_action(
        request,
        pk,
        NurtureForm,
        "nurture_form",
        lambda deal, data: services.do_nurture(deal, request.user, data["note"]),
        "Deal moved to nurture: it is off the board but nothing is lost.",
    )


@require_POST
def deal_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _deal_action(
        request,
        pk,
        NurtureForm,
        "return_form",
        lambda deal, data: services.do_return_to_pipeline(deal, request.user),
        "Deal is back in the pipeline.",
    )


@require_POST
def deal_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _deal_action(
        request,
        pk,
        ReopenForm,
        "reopen_form",
        lambda deal, data: services.do_reopen_deal(deal, request.user, data["stage"]),
        "Deal reopened.",
    )


@require_POST
def account_log_activity(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a note, call, meeting or email on an account; a refusal shows the account page
    again with what was typed and why."""
    account = get_account_for_user(request.user, pk, write=True)
    form = ActivityForm(request.POST, account=account)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.do_log_activity(
                request.user,
                account=account,
                kind=data["kind"],
                subject=data["subject"],
                body=data["body"],
                occurred_at=data["occurred_at"],
                deal=data["deal"],
                contacts=data["contacts"],
                attendees=[request.user],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Activity logged.")
            return redirect(account)
    state = {"pipeline.timeline": {"activity_form": form}}
    return account_page(request, account, panel_state=state, status=400)


@require_POST
def deal_log_activity(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a note, call, meeting or email on a deal from its page. With HTMX the activity
    section answers in place (the new entry on top, or the form with what was typed and
    why); a plain post goes back to the deal, or shows its page again when refused."""
    deal = get_deal_for_user(request.user, pk)
    if not can_log_activity(request.user):
        raise PermissionDenied("Your role cannot log notes, calls and meetings.")
    form = DealActivityForm(request.POST, deal=deal)
    logged = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            logged = services.do_log_activity(
                request.user,
                account=deal.account,
                deal=deal,
                kind=data["kind"],
                subject=data["subject"],
                body=data["body"],
                occurred_at=data["occurred_at"],
                contacts=data["contacts"],
                attendees=[request.user],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if request.htmx:
        context = {"deal": deal, **activity_context(request, deal, None if logged else form)}
        context["logged"] = logged
        return render(request, "pipeline/partials/_deal_activities.html", context)
    if logged:
        messages.success(request, "Activity logged.")
        return redirect(f"{deal.get_absolute_url()}#activity")
    context = detail_context(request, deal, forms={"activity_form": form})
    return render(request, "pipeline/deal_detail.html", context, status=400)


@require_POST
def deal_next_step(request: HttpRequest, pk: int) -> HttpResponse:
    """Write (or confirm) the deal's next step, as asked after a scenario is accepted. With
    HTMX the prompt answers in place and the page's next step follows; a plain post goes
    back to the deal, or shows its page again with the error beside the field."""
    deal = get_deal_for_user(request.user, pk, write=True)
    form = NextStepForm(request.POST)
    if form.is_valid():
        try:
            deal = services.do_set_next_step(deal, request.user, form.cleaned_data["next_step"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                return render(request, "pipeline/partials/_next_step_saved.html", {"deal": deal})
            messages.success(request, "Next step saved.")
            return redirect(deal)
    if request.htmx:
        context = {"deal": deal, "next_step_form": form, "prompt": request.POST.get("prompt", "")}
        return render(request, "pipeline/partials/_next_step_form.html", context)
    context = detail_context(request, deal, forms={"next_step_form": form})
    return render(request, "pipeline/deal_detail.html", context, status=400)
