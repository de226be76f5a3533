"""Past projects: the list, the form with hours per role, and the CSV import.

Everyone who reads estimates reads the past projects they learn from; project and resource
managers and admins keep them.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Prefetch, Q, Subquery, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.forms import DateInput, StyledFormMixin, submit
from tandem.core.pages import paginate, query_without
from tandem.core.services import version_of
from tandem.estimates import history_import
from tandem.estimates.filters import PastProjectFilter
from tandem.estimates.forms import ImportUploadForm
from tandem.estimates.models import LabourRole, PastProject, PastProjectHours
from tandem.estimates.services_history import (
    PROJECT_FIELDS,
    do_create_past_project,
    do_delete_past_project,
    do_update_past_project,
)
from tandem.estimates.views_import import ImportFlow, import_confirm, import_page

# How many roles a row of the list names before summing up the rest.
ROLES_SHOWN = 3


def can_edit_past_projects(user) -> bool:
    return user.has_perm("estimates.add_pastproject") and user.has_perm(
        "estimates.change_pastproject"
    )


def _require_reader(user) -> None:
    if not user.has_perm("estimates.view_pastproject"):
        raise PermissionDenied("You cannot see past projects.")


def _require_editor(user) -> None:
    if not can_edit_past_projects(user):
        raise PermissionDenied(
            "Only project managers, resource managers and admins keep the past projects."
        )


class PastProjectForm(StyledFormMixin, forms.ModelForm):
    """The project's drivers, then a field of hours per role (empty: not on the project)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PastProject
        fields = list(PROJECT_FIELDS)
        widgets = {"completed_on": DateInput()}

    def __init__(self, *args, roles: list[LabourRole], hours: dict[int, Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles
        for role in roles:
            # The service says what is wrong with 0 or less, worded for this form.
            self.fields[f"hours_{role.pk}"] = forms.DecimalField(
                label=role.name,
                required=False,
                max_digits=10,
                decimal_places=2,
                initial=hours.get(role.pk),
                # Added after StyledFormMixin has styled the declared fields.
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
            )

    def validate_unique(self):
        # The service checks the reference case-insensitively and says so on the field.
        pass

    @property
    def hour_fields(self):
        return [self[f"hours_{role.pk}"] for role in self.roles]

    def project_data(self) -> tuple[dict, dict[LabourRole, Decimal | None]]:
        data = {name: self.cleaned_data[name] for name in PROJECT_FIELDS}
        return data, {role: self.cleaned_data.get(f"hours_{role.pk}") for role in self.roles}


class PastProjectUploadForm(ImportUploadForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "Columns: reference, name, project_type, venue_type, screen_area_m2, show_days, "
            "completed_on (YYYY-MM-DD), then one column per role named hours:<role name> "
            "(hours:Stagehand); an empty cell means the role was not on the project. "
            "Up to 20 MB, UTF-8."
        )


PAST_PROJECT_IMPORT = ImportFlow(
    name="past_project",
    title="Import past projects",
    key_label="Reference",
    list_label="Past projects",
    form_class=PastProjectUploadForm,
    dry_run=history_import.dry_run,
    write=history_import.do_import_past_projects,
)


def _roles_for(project: PastProject | None) -> tuple[list[LabourRole], dict[int, Decimal]]:
    # Active roles, and any role the project already has even if it is no longer offered.
    hours = {}
    if project is not None:
        hours = dict(project.hours.values_list("role_id", "hours"))
    roles = LabourRole.objects.filter(Q(active=True) | Q(pk__in=list(hours))).order_by("name")
    return list(roles), hours


@require_GET
def past_project_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request.user)
    total = (
        PastProjectHours.objects.filter(project=OuterRef("pk"))
        .values("project")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    projects = (
        # A subquery, not a join: the page count then needs no grouping.
        PastProject.objects.annotate(total_hours=Subquery(total))
        .prefetch_related(
            Prefetch(
                "hours",
                queryset=PastProjectHours.objects.select_related("role").order_by(
                    "-hours", "role__name"
                ),
                to_attr="role_hours",
            )
        )
        # Unknown completion dates last on every database.
        .order_by(F("completed_on").desc(nulls_last=True), "reference")
    )
    project_filter = PastProjectFilter(request.GET, queryset=projects, request=request)
    projects = project_filter.qs if project_filter.is_valid() else projects.none()
    page_obj = paginate(request, projects)
    for project in page_obj:
        project.top_hours = project.role_hours[:ROLES_SHOWN]
        project.other_hours = project.role_hours[ROLES_SHOWN:]
    return render(
        request,
        "estimates/past_project_list.html",
        {
            "section": "past_project",
            "filter": project_filter,
            "page_obj": page_obj,
            "query_without_page": query_without(request, "page"),
            "can_edit": can_edit_past_projects(request.user),
        },
    )


def _form_page(request, project: PastProject | None) -> HttpResponse:
    roles, hours = _roles_for(project)
    form = PastProjectForm(
        request.POST or None,
        instance=project,
        roles=roles,
        hours=hours,
        initial={"version": version_of(project)} if project else None,
    )

    def write(_):
        data, role_hours = form.project_data()
        if project is None:
            return do_create_past_project(request.user, **data, hours=role_hours)
        return do_update_past_project(
            project,
            request.user,
            data,
            hours=role_hours,
            version=form.cleaned_data["version"],
        )

    if submit(request, form, write, lambda p: f"Past project {p.reference} saved."):
        return redirect("estimates:past_project_list")
    return render(
        request,
        "estimates/past_project_form.html",
        {
            "section": "past_project",
            "form": form,
            "project": project,
            "can_delete": project is not None
            and request.user.has_perm("estimates.delete_pastproject"),
        },
    )


@require_http_methods(["GET", "POST"])
def past_project_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request.user)
    return _form_page(request, None)


@require_http_methods(["GET", "POST"])
def past_project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request.user)
    return _form_page(request, get_object_or_404(PastProject, pk=pk))


@require_POST
def past_project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("estimates.delete_pastproject"):
        raise PermissionDenied("Only admins delete past projects.")
    project = get_object_or_404(PastProject, pk=pk)
    do_delete_past_project(project, request.user)
    messages.success(request, f"Past project {project.reference} deleted.")
    return redirect("estimates:past_project_list")


@require_http_methods(["GET", "POST"])
def past_project_import(request: HttpRequest) -> HttpResponse:
    _require_editor(request.user)
    return import_page(request, PAST_PROJECT_IMPORT)


@require_POST
def past_project_import_confirm(request: HttpRequest) -> HttpResponse:
    _require_editor(request.user)
    return import_confirm(request, PAST_PROJECT_IMPORT)
