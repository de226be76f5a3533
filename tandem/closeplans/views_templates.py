"""Plan templates (the usual steps to close a kind of project) and the company's days off.

Everyone signed in reads them; managers and admins (access.can_edit_templates) change them.
A step change sent by HTMX is answered with the steps section alone (a refusal shows on the
form that was sent, input kept); a plain form post with a redirect, or the page with the
refusal (400).
"""

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.closeplans import services
from tandem.closeplans.access import can_edit_templates
from tandem.closeplans.filters import PlanTemplateFilter
from tandem.closeplans.logic import StepSpec, schedule_backwards
from tandem.closeplans.models import PlanTemplate, Side, TemplateStep
from tandem.closeplans.template_forms import (
    HolidayForm,
    MoveForm,
    PreviewForm,
    ReorderForm,
    TemplateForm,
    TemplateStepForm,
    owner_role_label,
)
from tandem.core.access import require_perm
from tandem.core.calendar import (
    company_calendar,
    do_add_company_holiday,
    do_remove_company_holiday,
    public_holidays,
)
from tandem.core.forms import add_service_errors, submit
from tandem.core.models import CompanyHoliday
from tandem.core.pages import paginate, query_without
from tandem.core.services import day

SECTION = "closeplans/partials/_template_steps.html"
# A close two months out is what a seller usually aims for when a deal opens.
PREVIEW_DAYS_AHEAD = 60
STEPS_CHANGED = "templateStepsChanged"


def _require_editor(request) -> None:
    if not can_edit_templates(request.user):
        raise PermissionDenied("Only managers and admins change plan templates and days off.")


# Templates -------------------------------------------------------------------------------


@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "closeplans.view_plantemplate")
    templates = PlanTemplate.objects.annotate(
        step_count=Count("steps"), work_days=Sum("steps__duration_days")
    ).order_by("project_type", "name", "id")
    template_filter = PlanTemplateFilter(request.GET, queryset=templates, request=request)
    found = template_filter.qs if template_filter.is_valid() else templates.none()
    return render(
        request,
        "closeplans/template_list.html",
        {
            "filter": template_filter,
            "page_obj": paginate(request, found),
            "query_without_page": query_without(request, "page"),
            "can_edit": can_edit_templates(request.user),
        },
    )


@require_GET
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request.user, "closeplans.view_plantemplate")
    template = get_object_or_404(PlanTemplate, pk=pk)
    return render(request, "closeplans/template_detail.html", _page_context(request, template))


@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = TemplateForm(request.POST or None, initial={"is_active": True})
    created = submit(
        request,
        form,
        lambda data: services.do_create_template(request.user, **data),
        lambda template: f"Template “{template.name}” added: now add its steps.",
    )
    if created:
        return redirect(created)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "template": None}
    return render(request, "closeplans/template_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    template = get_object_or_404(PlanTemplate, pk=pk)
    form = TemplateForm(request.POST or None, instance=template)
    saved = submit(
        request,
        form,
        lambda data: services.do_update_template(template, request.user, data),
        lambda saved: "Template saved.",
    )
    if saved:
        return redirect(saved)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "template": template}
    return render(request, "closeplans/template_form.html", context, status=status)


def _steps(template: PlanTemplate) -> list[TemplateStep]:
    steps = list(template.steps.order_by("position"))
    for step in steps:
        step.role_label = owner_role_label(step.side, step.owner_role)
    return steps


def _section_context(
    request, template, steps, *, add_form=None, editing=None, edit_form=None, error=""
) -> dict:
    """What the steps section shows; a refused form replaces the blank one, input kept."""
    return {
        "template": template,
        "steps": steps,
        "can_edit": can_edit_templates(request.user),
        "add_form": add_form
        or TemplateStepForm(prefix="new", initial={"side": Side.US, "duration_days": 1}),
        "editing": editing,
        "edit_form": edit_form,
        "steps_error": error,
    }


def _page_context(request, template, steps=None, **section) -> dict:
    """The template page: its steps and the preview laid out before a close date (one
    query for the template, one for its steps, one for the company's days off)."""
    steps = _steps(template) if steps is None else steps
    today = timezone.localdate()
    default_close = today + dt.timedelta(days=PREVIEW_DAYS_AHEAD)
    preview_form = PreviewForm(
        request.GET if "close" in request.GET else None,
        today=today,
        initial={"close": default_close},
    )
    close = preview_form.cleaned_data["close"] if preview_form.is_valid() else default_close
    return {
        **_section_context(request, template, steps, **section),
        "preview_form": preview_form,
        "preview": _preview(steps, close, today),
    }


def _preview(steps: list[TemplateStep], close: dt.date, today: dt.date) -> dict:
    calendar = company_calendar(today)
    specs = [StepSpec(s.title, s.side, s.duration_days, s.lead_days) for s in steps]
    schedule = schedule_backwards(specs, close, today, calendar)
    return {
        "close": close,
        "close_business_day": calendar.on_or_before(close),
        "schedule": schedule,
        "rows": list(zip(schedule.steps, steps, strict=True)),
        "today": today,
    }


def _steps_answer(request, template, *, refused: bool = False, **section) -> HttpResponse:
    """The steps section for HTMX (telling the preview to follow when they changed);
    otherwise a redirect to the template page, or the page with the refusal."""
    steps = _steps(template)
    if request.htmx:
        context = _section_context(request, template, steps, **section)
        response = render(request, SECTION, context)
        if not refused:
            response["HX-Trigger"] = STEPS_CHANGED
        return response
    if not refused:
        return redirect(f"{template.get_absolute_url()}#steps")
    context = _page_context(request, template, steps, **section)
    return render(request, "closeplans/template_detail.html", context, status=400)


def _say(request, text: str) -> None:
    # An HTMX answer shows the section at once; a flash would wait for the next page.
    if not request.htmx:
        messages.success(request, text)


def _step_of(pk: int, step_pk: int) -> TemplateStep:
    return get_object_or_404(
        TemplateStep.objects.select_related("template"), pk=step_pk, template=pk
    )


@require_POST
def template_step_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    template = get_object_or_404(PlanTemplate, pk=pk)
    form = TemplateStepForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            step = services.do_add_template_step(template, **form.step_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _say(request, f"“{step.title}” added as step {step.position}.")
            return _steps_answer(request, template)
    return _steps_answer(request, template, refused=True, add_form=form)


@require_http_methods(["GET", "POST"])
def template_step_edit(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    _require_editor(request)
    step = _step_of(pk, step_pk)
    template = step.template
    form = TemplateStepForm(request.POST or None, prefix="step", step=step)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_template_step(step, form.step_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _say(request, "Step saved.")
            return _steps_answer(request, template)
    if request.htmx:
        # Opening the form (or a refused save) changes nothing: the preview is left alone.
        return _steps_answer(request, template, refused=True, editing=step.pk, edit_form=form)
    status = 400 if request.method == "POST" else 200
    context = {"template": template, "step": step, "form": form}
    return render(request, "closeplans/template_step_form.html", context, status=status)


@require_POST
def template_step_delete(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    _require_editor(request)
    step = _step_of(pk, step_pk)
    services.do_remove_template_step(step)
    _say(request, f"“{step.title}” removed.")
    return _steps_answer(request, step.template)


@require_POST
def template_step_move(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    """Move a step one place up or down (the buttons that work without JavaScript)."""
    _require_editor(request)
    step = _step_of(pk, step_pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _steps_answer(request, step.template, refused=True, error="Move a step up or down.")
    offset = -1 if form.cleaned_data["direction"] == "up" else 1
    services.do_update_template_step(step, {"position": step.position + offset})
    return _steps_answer(request, step.template)


@require_POST
def template_step_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the order the steps were dragged into (every step id, first to last)."""
    _require_editor(request)
    template = get_object_or_404(PlanTemplate, pk=pk)
    form = ReorderForm(request.POST, steps=template.steps.all())
    if not form.is_valid():
        error = " ".join(form.errors["order"]) if "order" in form.errors else ""
        return _steps_answer(request, template, refused=True, error=error)
    # One drag is one change: it lands whole or not at all.
    with transaction.atomic():
        for step, position in form.moves():
            services.do_update_template_step(step, {"position": position})
    return _steps_answer(request, template)


# Company days off --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def holiday_list(request: HttpRequest) -> HttpResponse:
    """The company's own days off (upcoming or past), and the public holidays the business
    calendar skips anyway, for reference."""
    can_edit = can_edit_templates(request.user)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("Only managers and admins change the company's days off.")
    form = HolidayForm(request.POST or None)
    added = submit(
        request,
        form,
        lambda data: do_add_company_holiday(request.user, **data),
        lambda holiday: f"{day(holiday.date)} is a day off now: {holiday.name}.",
    )
    today = timezone.localdate()
    if added:
        return redirect(_holidays_url("past" if added.date < today else "upcoming"))
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    if when == "past":
        rows = CompanyHoliday.objects.filter(date__lt=today).order_by("-date")
    else:
        rows = CompanyHoliday.objects.filter(date__gte=today).order_by("date")
    years = (today.year, today.year + 1)
    public = _named_public_holidays(
        settings.TANDEM_HOLIDAY_COUNTRY, settings.TANDEM_HOLIDAY_SUBDIVISION, years
    )
    context = {
        "form": form,
        "can_edit": can_edit,
        "when": when,
        "page_obj": paginate(request, rows),
        "query_without_page": query_without(request, "page"),
        "public_by_year": [(year, [h for h in public if h[0].year == year]) for year in years],
        "public_dates": frozenset(date for date, _ in public),
        "country": settings.TANDEM_HOLIDAY_COUNTRY,
        "subdivision": settings.TANDEM_HOLIDAY_SUBDIVISION,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "closeplans/holidays.html", context, status=status)


@require_POST
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    holiday = get_object_or_404(CompanyHoliday, pk=pk)
    do_remove_company_holiday(holiday, request.user)
    messages.success(request, f"{day(holiday.date)} is a working day again.")
    past = holiday.date < timezone.localdate()
    return redirect(_holidays_url("past" if past else "upcoming"))


def _holidays_url(when: str) -> str:
    url = reverse("closeplans:holiday_list")
    return f"{url}?when=past" if when == "past" else url


@lru_cache(maxsize=16)
def _named_public_holidays(
    country: str, subdivision: str, years: tuple[int, ...]
) -> tuple[tuple[dt.date, str], ...]:
    """The public holidays the business calendar skips, with their names, by date."""
    dates = public_holidays(country, subdivision, years)
    names = holidays.country_holidays(country, subdiv=subdivision or None, years=years)
    return tuple(sorted((date, names.get(date, "")) for date in dates))
