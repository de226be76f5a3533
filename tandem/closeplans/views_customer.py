"""The customer's side of a close plan, opened through a private signed link without signing in.

Every page here answers with headers that keep it out of caches, referrers and search
engines, and the templates stand alone: nothing on them leads into the rest of Tandem.
A link that does not open (altered, expired, withdrawn) answers the same polite page to GET
and POST alike, and nothing is written.
"""

import datetime as dt
import functools
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tandem.closeplans import services
from tandem.closeplans.models import PlanStep, ShareLink, Side, StepComment, StepStatus
from tandem.core.branding import company_brand
from tandem.core.forms import FriendlyErrorsMixin, StyledFormMixin, add_service_errors
from tandem.core.links import LinkRefused

NAME_MAX = 120
REFUSED_STATUS = {"invalid": 404, "expired": 410, "revoked": 410}


class CustomerNameForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=NAME_MAX,
        error_messages={"required": "Tell us your name, so we know who wrote."},
    )


class CustomerCommentForm(StyledFormMixin, forms.Form):
    # Asked only until the customer has given it once for this link (then kept in the session).
    name = forms.CharField(label="Your name", max_length=NAME_MAX, required=False)
    body = forms.CharField(
        label="Comment",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write something first."},
    )


class CustomerMarkForm(FriendlyErrorsMixin, forms.Form):
    done = forms.TypedChoiceField(
        choices=[("1", "Done"), ("0", "Not done")],
        coerce=lambda value: value == "1",
        error_messages={"required": "Say whether the step is done."},
    )


def private_page(view):
    """Open `view` to visitors who are not signed in and mark every answer as private."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        # The URL is the key to the plan: it must not travel to other sites or into indexes.
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return login_not_required(wrapped)


def _name_key(link: ShareLink) -> str:
    return f"closeplans.shared_name.{link.pk}"


def _remembered_name(request, link: ShareLink) -> str:
    return request.session.get(_name_key(link), "")


def _remember_name(request, link: ShareLink, name: str) -> None:
    request.session[_name_key(link)] = name.strip()[:NAME_MAX]


def _open(request, token):
    """(link, None) for a live link, else (None, the polite refusal to send back)."""
    try:
        return services.open_share_link(token), None
    except LinkRefused as refused:
        response = render(
            request,
            "closeplans/customer/refused.html",
            {"reason": refused.reason},
            status=REFUSED_STATUS[refused.reason],
        )
        if request.htmx:
            # htmx leaves error answers unswapped: reload so the customer sees this page.
            response["HX-Refresh"] = "true"
        return None, response


def _plan_url(token: str, step_id: int | None = None) -> str:
    url = reverse("shared:plan", args=[token])
    return f"{url}#step-{step_id}" if step_id else url


def customer_steps(link: ShareLink, step_id: int | None = None) -> list[PlanStep]:
    """The plan's steps with their owners and only the comments shared with the customer."""
    steps = (
        PlanStep.objects.filter(plan_id=link.plan_id)
        .select_related("owner_user", "owner_contact")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=StepComment.objects.filter(shared=True)
                .select_related("author_user")
                .order_by("created_at", "id"),
                to_attr="shared_comments",
            )
        )
        .order_by("position")
    )
    if step_id is not None:
        steps = steps.filter(pk=step_id)
    return list(steps)


@dataclass(frozen=True)
class Progress:
    """How far the plan has come: '5 of 8 steps done, next: …'."""

    done: int
    total: int
    next_title: str = ""
    next_due: dt.date | None = None
    next_yours: bool = False
    next_blocked: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def plan_progress(steps) -> Progress:
    """Count the done steps and find the first one (in plan order) still to do; `steps` are
    PlanSteps or (position, title, side, status, due_date) tuples."""
    rows = sorted(
        (s if isinstance(s, tuple) else (s.position, s.title, s.side, s.status, s.due_date))
        for s in steps
    )
    done = sum(1 for row in rows if row[3] == StepStatus.DONE)
    pending = next((row for row in rows if row[3] != StepStatus.DONE), None)
    if pending is None:
        return Progress(done, len(rows))
    return Progress(
        done,
        len(rows),
        pending[1],
        pending[4],
        next_yours=pending[2] == Side.CUSTOMER,
        next_blocked=pending[3] == StepStatus.BLOCKED,
    )


def _dress(step: PlanStep, editable: bool, ask_name: bool, bound: dict) -> PlanStep:
    """Give a step what its card shows: the customer's wording and its forms (`bound` holds
    a posted form or refusal to show again, by step id)."""
    step.side_label = "You" if step.side == Side.CUSTOMER else "Us"
    step.can_tick = editable and step.side == Side.CUSTOMER
    step.mark_to = "0" if step.status == StepStatus.DONE else "1"
    step.ask_name = ask_name
    step.mark_errors = []
    step.comment_form = CustomerCommentForm(auto_id=f"id_s{step.pk}_%s")
    for attribute, value in bound.get(step.pk, {}).items():
        setattr(step, attribute, value)
    return step


def _context(request, link: ShareLink, steps, *, bound=None, name_form=None, error="") -> dict:
    deal = link.plan.deal
    editable = not deal.stage.is_closed
    customer_name = _remembered_name(request, link)
    return {
        "brand": company_brand(),
        "link": link,
        "token": services.share_token(link),
        "deal": deal,
        "seller_name": deal.owner.name,
        "editable": editable,
        "steps": [_dress(step, editable, not customer_name, bound or {}) for step in steps],
        "customer_name": customer_name,
        "name_form": name_form or CustomerNameForm(auto_id="id_you_%s"),
        "page_error": error,
    }


def _render_page(request, link, *, status=200, **kwargs) -> HttpResponse:
    steps = customer_steps(link)
    context = _context(request, link, steps, **kwargs)
    context["progress"] = plan_progress(steps)
    return render(request, "closeplans/customer/plan.html", context, status=status)


def _render_step(request, link, step_id, *, bound=None) -> HttpResponse:
    """The step's card alone for htmx to swap in place, with the progress summary (swapped
    out of band) so a tick shows at the top too."""
    context = _context(request, link, customer_steps(link, step_id), bound=bound)
    context["step"] = context["steps"][0]
    context["progress"] = plan_progress(
        PlanStep.objects.filter(plan_id=link.plan_id).values_list(
            "position", "title", "side", "status", "due_date"
        )
    )
    context["progress_oob"] = True
    return render(request, "closeplans/customer/_step_swap.html", context)


def _refuse_write(request, link: ShareLink, step_id: int) -> HttpResponse | None:
    """The page with why, when this step cannot change through this link (the services check
    the same under lock; this answers before a form is even read)."""
    if not PlanStep.objects.filter(pk=step_id, plan_id=link.plan_id).exists():
        response = _render_page(
            request, link, status=404, error="That step is not part of this plan."
        )
    elif link.plan.deal.stage.is_closed:
        response = _render_page(
            request, link, error="This deal is closed: its plan can no longer change."
        )
    else:
        return None
    if request.htmx:
        # A whole page cannot go in a step's place: reload it (read-only, once closed).
        response["HX-Refresh"] = "true"
    return response


@private_page
@require_GET
def plan(request: HttpRequest, token: str) -> HttpResponse:
    link, refused = _open(request, token)
    if refused:
        return refused
    return _render_page(request, link)


@private_page
@require_POST
def step_mark(request: HttpRequest, token: str, step_id: int) -> HttpResponse:
    """Tick or untick one of the customer's own steps."""
    link, refused = _open(request, token)
    if refused:
        return refused
    if refusal := _refuse_write(request, link, step_id):
        return refusal
    form = CustomerMarkForm(request.POST)
    errors = list(form.errors.get("done", []))
    if form.is_valid():
        done = form.cleaned_data["done"]
        name = _remembered_name(request, link)
        try:
            services.do_customer_mark_step(link, step_id, done, name)
        except ValidationError as exc:
            errors = exc.messages
    bound = {step_id: {"mark_errors": errors}}
    if request.htmx:
        return _render_step(request, link, step_id, bound=bound)
    if errors:
        return _render_page(request, link, bound=bound)
    messages.success(request, "Thanks: the step is marked done." if done else "Step reopened.")
    return redirect(_plan_url(token, step_id))


@private_page
@require_POST
def step_comment(request: HttpRequest, token: str, step_id: int) -> HttpResponse:
    """Leave a comment on any step of the plan, signed with the customer's name."""
    link, refused = _open(request, token)
    if refused:
        return refused
    if refusal := _refuse_write(request, link, step_id):
        return refusal
    form = CustomerCommentForm(request.POST, auto_id=f"id_s{step_id}_%s")
    if form.is_valid():
        name = form.cleaned_data["name"].strip() or _remembered_name(request, link)
        try:
            services.do_customer_comment(link, step_id, form.cleaned_data["body"], name)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _remember_name(request, link, name)
            if request.htmx:
                return _render_step(request, link, step_id)
            messages.success(request, "Thanks: your comment is on the plan.")
            return redirect(_plan_url(token, step_id))
    bound = {step_id: {"comment_form": form}}
    if request.htmx:
        return _render_step(request, link, step_id, bound=bound)
    return _render_page(request, link, bound=bound)


@private_page
@require_POST
def set_name(request: HttpRequest, token: str) -> HttpResponse:
    """Set or change the name the customer's comments and ticks are signed with."""
    link, refused = _open(request, token)
    if refused:
        return refused
    form = CustomerNameForm(request.POST, auto_id="id_you_%s")
    if not form.is_valid():
        return _render_page(request, link, name_form=form)
    _remember_name(request, link, form.cleaned_data["name"])
    return redirect(_plan_url(token))
