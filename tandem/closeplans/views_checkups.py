"""The Checkups page: today's checkups by deal, with one-click done, blocked and note."""

from collections import defaultdict

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tandem.closeplans import services
from tandem.closeplans.access import can_report_on_step, can_see_checkups
from tandem.closeplans.checkups import (
    checkup_count,
    checkup_deal_ids,
    checkup_steps,
    find_checkup_rows,
)
from tandem.closeplans.models import PlanStep, StepStatus
from tandem.core.calendar import company_calendar
from tandem.core.forms import FriendlyErrorsMixin, StyledFormMixin
from tandem.core.pages import paginate, query_without
from tandem.people.models import Role, User
from tandem.pipeline.models import Deal

DEALS_PER_PAGE = 25
MINE = "mine"
EVERYONE = "everyone"


class CheckupFilterForm(StyledFormMixin, forms.Form):
    """Whose checkups: mine, everyone's, or one person's."""

    owner = forms.ChoiceField(label="Whose", required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        people = User.objects.filter(is_active=True).exclude(role=Role.CREW)
        self.people = {str(person.pk): person for person in people}
        self.fields["owner"].choices = [
            (MINE, "Mine"),
            (EVERYONE, "Everyone"),
            *((pk, person.name) for pk, person in self.people.items() if person != user),
        ]
        self.fields["owner"].widget.attrs["class"] += " form-select-sm"

    def chosen_owner(self) -> User | None:
        """The person whose checkups to list; None for everyone. Call after is_valid()."""
        value = self.cleaned_data.get("owner") or default_owner(self.user)
        if value == EVERYONE:
            return None
        if value == MINE:
            return self.user
        return self.people[value]


def default_owner(user: User) -> str:
    # Everyone starts on their own: the count the bell states is theirs, and a manager who
    # wants the whole team's is one choice away.
    return MINE


def _checkup_rows(user: User, today, owner: User | None, deal_ids, calendar) -> dict:
    """Today's checkups of the listed deals, by deal id."""
    steps = checkup_steps(today, owner=owner, calendar=calendar).filter(plan__deal_id__in=deal_ids)
    rows = defaultdict(list)
    for row in find_checkup_rows(steps, today, calendar):
        row.step.can_report = can_report_on_step(user, row.step, row.step.plan.deal)
        rows[row.step.plan.deal_id].append(row)
    for deal_rows in rows.values():
        deal_rows.sort(key=lambda row: (row.step.position, row.step.pk))
    return rows


@require_GET
def checkups(request: HttpRequest) -> HttpResponse:
    if not can_see_checkups(request.user):
        raise PermissionDenied("You cannot see close plans.")
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("owner", default_owner(request.user))
    form = CheckupFilterForm(data, user=request.user)
    calendar = company_calendar(today)
    if form.is_valid():
        owner = form.chosen_owner()
        deal_ids = checkup_deal_ids(today, owner=owner, calendar=calendar)
        deals = Deal.objects.filter(pk__in=deal_ids)
        count = checkup_count(today, owner=owner, calendar=calendar)
    else:
        owner, deals, count = None, Deal.objects.none(), 0
    page_obj = paginate(
        request,
        deals.select_related("account", "owner", "close_plan").order_by("target_close_date", "id"),
        DEALS_PER_PAGE,
    )
    rows = _checkup_rows(request.user, today, owner, [d.pk for d in page_obj], calendar)
    for deal in page_obj:
        deal.checkup_rows = rows.get(deal.pk, [])
    return render(
        request,
        "closeplans/checkups.html",
        {
            "filter_form": form,
            "owner": owner,
            "checkup_count": count,
            "morning_hour": settings.TANDEM_MORNING_HOUR,
            "page_obj": page_obj,
            "query_without_page": query_without(request, "page"),
            "back": request.get_full_path(),
        },
    )


class BlockedForm(FriendlyErrorsMixin, forms.Form):
    blocker = forms.CharField(max_length=250, label="Blocked because")


class NoteForm(FriendlyErrorsMixin, forms.Form):
    body = forms.CharField(max_length=4000, label="Note")


def _step_for_report(request: HttpRequest, pk: int) -> PlanStep:
    step = get_object_or_404(
        PlanStep.objects.select_related(
            "plan__deal__account", "plan__deal__stage", "owner_user", "owner_contact"
        ),
        pk=pk,
    )
    if not can_report_on_step(request.user, step, step.plan.deal):
        raise PermissionDenied("Only the step's owner, the deal's owner or a manager can do this.")
    return step


def _back(request: HttpRequest) -> str:
    """Where a plain (no-JS) post returns: the Checkups page with the filters it came from."""
    back = request.POST.get("back", "")
    checkups_url = reverse("closeplans:checkups")
    # Only a path on the Checkups page: never a redirect to somewhere else.
    if back.startswith(f"{checkups_url}?") and "//" not in back and "\\" not in back:
        return back
    return checkups_url


def _answer(request, step: PlanStep, action: str, form, error: str, success: str):
    """The step's row for HTMX; for a plain post, a redirect or the step's page on error."""
    today = timezone.localdate()
    step = _step_for_report(request, step.pk)
    found = find_checkup_rows([step], today)
    step.can_report = True
    context = {
        "step": step,
        "deal": step.plan.deal,
        "row": found[0] if found else None,
        "action": action,
        "form": form,
        "error": error,
        "done_message": "" if error else success,
        "back": _back(request),
    }
    if request.htmx:
        return render(request, "closeplans/partials/_checkup_step.html", context)
    if error:
        return render(request, "closeplans/checkups_step.html", context, status=400)
    messages.success(request, success)
    return redirect(_back(request))


def _form_error(form, field: str, when_blank: str) -> str:
    if not form.data.get(field, "").strip():
        return when_blank
    return " ".join(form.errors[field])


@require_POST
def checkup_done(request: HttpRequest, pk: int) -> HttpResponse:
    step = _step_for_report(request, pk)
    error = ""
    try:
        services.do_set_step_status(step, request.user, StepStatus.DONE)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    return _answer(request, step, "done", None, error, f"“{step.title}” is done.")


@require_POST
def checkup_blocked(request: HttpRequest, pk: int) -> HttpResponse:
    step = _step_for_report(request, pk)
    form = BlockedForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _form_error(
            form, "blocker", "Say what blocks this step, so someone can unblock it."
        )
    else:
        try:
            services.do_set_step_status(
                step, request.user, StepStatus.BLOCKED, blocker=form.cleaned_data["blocker"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return _answer(request, step, "blocked", form, error, f"“{step.title}” is marked blocked.")


@require_POST
def checkup_note(request: HttpRequest, pk: int) -> HttpResponse:
    step = _step_for_report(request, pk)
    form = NoteForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _form_error(form, "body", "Write something first.")
    else:
        try:
            services.do_comment(step, request.user, form.cleaned_data["body"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return _answer(request, step, "note", form, error, f"Note added to “{step.title}”.")
