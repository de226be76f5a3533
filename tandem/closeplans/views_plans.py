"""The close plan on the deal page: lay it out, edit and report on steps, accept a realistic
date, share it with the customer.

Every action answers an HTMX request with the plan section alone (errors on the form that
was sent, input kept) and a plain form post with a redirect, or the whole deal page when it
was refused.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tandem.closeplans import services
from tandem.closeplans.access import can_edit_plan, can_report_on_step
from tandem.closeplans.forms import (
    AcceptCloseForm,
    ApplyTemplateForm,
    CommentForm,
    MoveStepForm,
    ShareForm,
    StatusForm,
    StepForm,
    owner_choices,
    step_initial,
)
from tandem.closeplans.logic.timeline import STATE_LABELS, StepFacts, plan_timeline
from tandem.closeplans.models import ClosePlan, PlanStep, PlanTemplate, ShareLink, StepComment
from tandem.core.calendar import company_calendar
from tandem.core.forms import add_service_errors
from tandem.core.services import day, version_of
from tandem.pipeline.access import get_deal_for_user
from tandem.pipeline.views import detail_context

SECTION = "closeplans/partials/_plan.html"


def plan_context(request, deal, *, forms: dict | None = None, step_forms: dict | None = None):
    """What the plan section shows. `forms` replaces the section's blank forms by bound ones
    (after a refusal); `step_forms` maps a step id to its refused forms. A fixed number of
    queries: the plan, its steps with owners, their comments, the live links, the templates."""
    user = request.user
    plan = (
        ClosePlan.objects.select_related("template")
        .prefetch_related(
            Prefetch(
                "steps",
                PlanStep.objects.select_related("owner_user", "owner_contact").order_by("position"),
            ),
            Prefetch(
                "steps__comments",
                StepComment.objects.select_related("author_user").order_by("created_at", "id"),
            ),
        )
        .filter(deal=deal)
        .first()
    )
    editable = can_edit_plan(user, deal) and not deal.stage.is_closed
    forms = forms or {}
    step_forms = step_forms or {}
    # Two queries for the owner lists, shared by every step form on the page.
    owners = owner_choices(deal) if editable else []
    steps = []
    for step in plan.steps.all() if plan else ():
        refused = step_forms.get(step.pk, {})
        steps.append(
            {
                "step": step,
                "can_report": not deal.stage.is_closed and can_report_on_step(user, step, deal),
                "edit_form": refused.get("edit")
                or (
                    StepForm(
                        deal=deal,
                        owners=owners,
                        initial={**step_initial(step), "version": version_of(step)},
                        prefix=f"s{step.pk}",
                    )
                    if editable
                    else None
                ),
                "status_form": refused.get("status"),
                "comment_form": refused.get("comment") or CommentForm(prefix=f"c{step.pk}"),
                "open_form": next(iter(refused), ""),
            }
        )
    templates = list(PlanTemplate.objects.filter(is_active=True))
    apply_form = forms.get("apply") or ApplyTemplateForm(
        initial={
            "template": next((t for t in templates if t.project_type == deal.project_type), None)
        }
    )
    apply_form.fields["template"].queryset = PlanTemplate.objects.filter(is_active=True)
    links = []
    if plan is not None and can_edit_plan(user, deal):
        links = [
            {"link": link, "url": _customer_url(request, link)}
            for link in ShareLink.objects.live(timezone.now()).filter(plan=plan)
        ]
    return {
        "plan": plan,
        "plan_steps": steps,
        "plan_timeline": _timeline(plan, deal, [row["step"] for row in steps]),
        "plan_editable": editable,
        "plan_templates": templates,
        "apply_form": apply_form,
        "too_near": forms.get("too_near"),
        "add_step_form": forms.get("add_step")
        or StepForm(
            deal=deal,
            owners=owners,
            prefix="new",
            initial={"side": "us", "duration_days": 1, "owner": f"u:{deal.owner_id}"},
        ),
        "accept_form": forms.get("accept") or AcceptCloseForm(),
        "share_form": forms.get("share")
        or ShareForm(initial={"days": settings.TANDEM_SHARE_LINK_DAYS}),
        "share_links": links,
        "new_link": forms.get("new_link"),
        "plan_open_form": forms.get("open", ""),
    }


def _timeline(plan, deal, steps: list) -> dict | None:
    """The plan's steps as frappe-gantt tasks leading to the close date (one query for the
    company's days off); None without steps."""
    if not steps:
        return None
    today = timezone.localdate()
    facts = [
        StepFacts(
            position=step.position,
            title=step.title,
            side=step.side,
            status=step.status,
            due=step.due_date,
            duration_days=step.duration_days,
            owner=step.owner_name,
        )
        for step in steps
    ]
    bars = plan_timeline(facts, today, company_calendar(today))
    counts = dict.fromkeys(STATE_LABELS, 0)
    for bar in bars:
        counts[bar.state] += 1
    return {
        "tasks": [bar.task() for bar in bars],
        "close": deal.target_close_date.isoformat(),
        "today": today.isoformat(),
        "counts": [(STATE_LABELS[state], state, n) for state, n in counts.items() if n],
    }


def _customer_url(request, link) -> str:
    return request.build_absolute_uri(reverse("shared:plan", args=[services.share_token(link)]))


def _respond(request, deal, *, refused: bool = False, forms=None, step_forms=None):
    """The plan section for HTMX; otherwise the deal page (refused) or a redirect to it."""
    if request.htmx:
        context = {
            "deal": deal,
            **plan_context(request, deal, forms=forms, step_forms=step_forms),
        }
        return render(request, SECTION, context, status=200)
    if not refused:
        return redirect(f"{deal.get_absolute_url()}#close-plan")
    state = {"forms": forms, "step_forms": step_forms}
    context = detail_context(request, deal, panel_state={"closeplans.plan": state})
    return render(request, "pipeline/deal_detail.html", context, status=400)


def _refuse_closed(deal) -> None:
    # The page shows no controls on a closed deal; only a crafted request gets here.
    if deal.stage.is_closed:
        raise PermissionDenied(
            f"This deal is closed as {deal.stage.name}: its plan stays as it was."
        )


def _deal_to_edit(request, pk):
    deal = get_deal_for_user(request.user, pk)
    _refuse_closed(deal)
    if not can_edit_plan(request.user, deal):
        raise PermissionDenied("Only the deal's owner or a manager can change its close plan.")
    return deal


def _step_for(request, pk, *, report_only: bool = False):
    step = get_object_or_404(PlanStep.objects.select_related("plan"), pk=pk)
    deal = get_deal_for_user(request.user, step.plan.deal_id)
    _refuse_closed(deal)
    allowed = (
        can_report_on_step(request.user, step, deal)
        if report_only
        else can_edit_plan(request.user, deal)
    )
    if not allowed:
        raise PermissionDenied("Only the deal's owner, a manager or the step's owner can do this.")
    return step, deal


def _say(request, text: str) -> None:
    # An HTMX answer shows the section at once; a flash would wait for the next page.
    if not request.htmx:
        messages.info(request, text)


def _refused(form, error) -> None:
    add_service_errors(form, error)


@require_GET
def plan_section(request: HttpRequest, pk: int) -> HttpResponse:
    deal = get_deal_for_user(request.user, pk)
    context = {"deal": deal, **plan_context(request, deal)}
    return render(request, SECTION, context)


@require_POST
def apply_template(request: HttpRequest, pk: int) -> HttpResponse:
    deal = _deal_to_edit(request, pk)
    form = ApplyTemplateForm(request.POST)
    if form.is_valid():
        try:
            services.do_apply_template(
                deal,
                form.cleaned_data["template"],
                request.user,
                replace=form.cleaned_data["replace"],
                move_close=form.cleaned_data["move_close"],
            )
        except ValidationError as error:
            _refused(form, error)
            code = getattr(error, "code", None)
            too_near = form.cleaned_data["template"] if code == "too_near" else None
            return _respond(
                request, deal, refused=True, forms={"apply": form, "too_near": too_near}
            )
        _say(request, f"Close plan laid out from {form.cleaned_data['template']}.")
        deal.refresh_from_db()
        return _respond(request, deal)
    return _respond(request, deal, refused=True, forms={"apply": form})


@require_POST
def add_step(request: HttpRequest, pk: int) -> HttpResponse:
    deal = _deal_to_edit(request, pk)
    plan = get_object_or_404(ClosePlan, deal=deal)
    form = StepForm(request.POST, deal=deal, prefix="new")
    if form.is_valid():
        try:
            services.do_add_step(plan, request.user, **form.step_fields())
        except ValidationError as error:
            _refused(form, error)
        else:
            return _respond(request, deal)
    return _respond(request, deal, refused=True, forms={"add_step": form, "open": "add"})


@require_POST
def edit_step(request: HttpRequest, pk: int) -> HttpResponse:
    step, deal = _step_for(request, pk)
    form = StepForm(request.POST, deal=deal, prefix=f"s{step.pk}")
    if form.is_valid():
        try:
            services.do_update_step(
                step,
                request.user,
                form.step_fields(),
                version=form.cleaned_data["version"] or None,
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            return _respond(request, deal)
    return _respond(request, deal, refused=True, step_forms={step.pk: {"edit": form}})


@require_POST
def move_step(request: HttpRequest, pk: int) -> HttpResponse:
    step, deal = _step_for(request, pk)
    form = MoveStepForm(request.POST)
    if not form.is_valid():
        _say(request, "Say where the step goes: a position from 1.")
        return _respond(request, deal, refused=True)
    try:
        services.do_update_step(step, request.user, {"position": form.cleaned_data["position"]})
    except ValidationError as error:
        _say(request, " ".join(error.messages))
        return _respond(request, deal, refused=True)
    return _respond(request, deal)


@require_POST
def remove_step(request: HttpRequest, pk: int) -> HttpResponse:
    step, deal = _step_for(request, pk)
    try:
        services.do_remove_step(step, request.user)
    except ValidationError as error:
        _say(request, " ".join(error.messages))
        return _respond(request, deal, refused=True)
    _say(request, f"Step “{step.title}” removed.")
    return _respond(request, deal)


@require_POST
def step_status(request: HttpRequest, pk: int) -> HttpResponse:
    step, deal = _step_for(request, pk, report_only=True)
    form = StatusForm(request.POST, prefix=f"st{step.pk}")
    if form.is_valid():
        try:
            services.do_set_step_status(
                step,
                request.user,
                form.cleaned_data["status"],
                blocker=form.cleaned_data["blocker"],
                version=form.cleaned_data["version"] or None,
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            return _respond(request, deal)
    return _respond(request, deal, refused=True, step_forms={step.pk: {"status": form}})


@require_POST
def step_comment(request: HttpRequest, pk: int) -> HttpResponse:
    step, deal = _step_for(request, pk, report_only=True)
    form = CommentForm(request.POST, prefix=f"c{step.pk}")
    if form.is_valid():
        try:
            # Only those who edit the plan speak to the customer through it.
            shared = form.cleaned_data["shared"] and can_edit_plan(request.user, deal)
            services.do_comment(step, request.user, form.cleaned_data["body"], shared=shared)
        except ValidationError as error:
            _refused(form, error)
        else:
            return _respond(request, deal)
    return _respond(request, deal, refused=True, step_forms={step.pk: {"comment": form}})


@require_POST
def accept_proposed_close(request: HttpRequest, pk: int) -> HttpResponse:
    deal = _deal_to_edit(request, pk)
    form = AcceptCloseForm(request.POST)
    if form.is_valid():
        try:
            deal = services.do_accept_proposed_close(
                deal, request.user, form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            _say(
                request,
                f"Close date moved to {day(deal.target_close_date)}; the steps left lead to it.",
            )
            if request.htmx:
                # The close date and its history sit outside the plan section.
                response = HttpResponse(status=204)
                response["HX-Refresh"] = "true"
                return response
            return _respond(request, deal)
    return _respond(request, deal, refused=True, forms={"accept": form})


@require_POST
def share(request: HttpRequest, pk: int) -> HttpResponse:
    deal = _deal_to_edit(request, pk)
    plan = get_object_or_404(ClosePlan, deal=deal)
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            link = services.do_create_share_link(plan, request.user, days=form.cleaned_data["days"])
        except ValidationError as error:
            _refused(form, error)
        else:
            _say(request, "Customer link made: copy it from the close plan and send it.")
            return _respond(request, deal, forms={"new_link": link.pk, "open": "share"})
    return _respond(request, deal, refused=True, forms={"share": form, "open": "share"})


@require_POST
def revoke_link(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(ShareLink.objects.select_related("plan"), pk=pk)
    # Withdrawing a link stays possible after the deal closed: the customer still has it.
    deal = get_deal_for_user(request.user, link.plan.deal_id)
    if not can_edit_plan(request.user, deal):
        raise PermissionDenied("Only the deal's owner or a manager can withdraw its links.")
    services.do_revoke_share_link(link, request.user)
    _say(request, "Customer link withdrawn: it no longer opens the plan.")
    return _respond(request, deal, forms={"open": "share"})
