"""Past projects: the list, the form with hours per role, and the CSV import.

Everyone who reads estimates reads the past projects they learn from; project and resource
managers and admins keep them.
"""

from decimal import Decimal

from django.contrib import messages
from django.db.models import F, OuterRef, Prefetch, Q, Subquery, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.catalog.import_pages import ImportFlow, import_confirm, import_page
from tandem.catalog.models import LabourRole
from tandem.core.forms import submit
from tandem.core.pages import paginate, query_without
from tandem.core.services import version_of
from tandem.estimates.access import (
    can_delete_past_projects,
    can_edit_past_projects,
    get_past_project_for_user,
    require_past_project_deleter,
    require_past_project_editor,
    require_past_project_reader,
)
from tandem.estimates.actuals import imports
from tandem.estimates.actuals.forms import PastProjectForm, PastProjectUploadForm
from tandem.estimates.actuals.services import (
    do_create_past_project,
    do_delete_past_project,
    do_update_past_project,
)
from tandem.estimates.filters import PastProjectFilter
from tandem.estimates.models import PastProject, PastProjectHours

# How many roles a row of the list names before summing up the rest.
ROLES_SHOWN = 3


PAST_PROJECT_IMPORT = ImportFlow(
    namespace="estimates",
    name="past_project",
    title="Import past projects",
    key_label="Reference",
    list_label="Past projects",
    form_class=PastProjectUploadForm,
    dry_run=imports.dry_run,
    write=imports.do_import_past_projects,
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
    require_past_project_reader(request.user)
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
            "can_delete": project is not None and can_delete_past_projects(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def past_project_create(request: HttpRequest) -> HttpResponse:
    require_past_project_editor(request.user)
    return _form_page(request, None)


@require_http_methods(["GET", "POST"])
def past_project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, get_past_project_for_user(request.user, pk, write=True))


@require_POST
def past_project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_past_project_deleter(request.user)
    project = get_past_project_for_user(request.user, pk)
    do_delete_past_project(project, request.user)
    messages.success(request, f"Past project {project.reference} deleted.")
    return redirect("estimates:past_project_list")


@require_http_methods(["GET", "POST"])
def past_project_import(request: HttpRequest) -> HttpResponse:
    require_past_project_editor(request.user)
    return import_page(request, PAST_PROJECT_IMPORT)


@require_POST
def past_project_import_confirm(request: HttpRequest) -> HttpResponse:
    require_past_project_editor(request.user)
    return import_confirm(request, PAST_PROJECT_IMPORT)
