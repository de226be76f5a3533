from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.access import require_perm
from tandem.core.forms import add_service_errors, submit
from tandem.core.history import history_for
from tandem.core.pages import paginate, query_without, sort_queryset
from tandem.core.registry import registry
from tandem.core.services import version_of
from tandem.crm import queries, services
from tandem.crm.access import (
    can_edit_crm,
    get_account_for_user,
    get_contact_for_user,
    get_stakeholder_for_user,
)
from tandem.crm.filters import AccountFilter, ContactFilter
from tandem.crm.forms import (
    AccountForm,
    ContactForm,
    EndStakeholderForm,
    MoveStakeholderForm,
    NewPersonForm,
    StakeholderForm,
)
from tandem.crm.models import Account, Contact

ACCOUNT_SORTS = {
    "name": ("name", "id"),
    "city": ("city", "name", "id"),
    "tier": ("tier", "name", "id"),
    "status": ("status", "name", "id"),
    "owner": ("owner__display_name", "name", "id"),
}
CONTACT_SORTS = {"name": ("last_name", "first_name", "id"), "added": ("created_at", "id")}


def _require_crm_write(user) -> None:
    if not can_edit_crm(user):
        raise PermissionDenied("Your role cannot change accounts and contacts.")


@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "crm.view_account")
    account_filter = AccountFilter(request.GET, queryset=Account.objects.all(), request=request)
    accounts = account_filter.qs if account_filter.is_valid() else Account.objects.none()
    # Other apps add columns (open deals…), each with what it shows and how it sorts.
    columns = registry.columns_for("account_list")
    accounts = queries.account_list(accounts)
    for column in columns:
        accounts = column.annotate(accounts)
    sorts = {**ACCOUNT_SORTS, **{c.key: (*c.sort, "name", "id") for c in columns if c.sort}}
    accounts, sort = sort_queryset(request, accounts, sorts, "name")
    return render(
        request,
        "crm/account_list.html",
        {
            "filter": account_filter,
            "columns": columns,
            "page_obj": paginate(request, accounts),
            "sort": sort,
            "query_without_sort": query_without(request, "sort", "page"),
            "query_without_page": query_without(request, "page"),
            "can_edit": can_edit_crm(request.user),
        },
    )


@require_GET
def account_lookup(request: HttpRequest) -> HttpResponse:
    """Accounts whose name contains what was typed: the picker's suggestions."""
    require_perm(request.user, "crm.view_account")
    query = request.GET.get("q", "").strip()
    accounts = []
    if len(query) >= 2:
        accounts = Account.objects.filter(name__icontains=query).order_by("name")[:10]
    return render(
        request,
        "crm/partials/_account_options.html",
        {"accounts": accounts, "query": query, "target": request.GET.get("target", "")},
    )


@require_GET
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, pk)
    return account_page(request, account)


def account_page(request, account, *, person_form=None, panel_state=None, status=200):
    """The account page; a refused form comes back bound, with what was typed and why.
    Other apps add their sections as panels; `panel_state` hands a panel its refused forms."""
    current, former = queries.account_people(account)
    editable = can_edit_crm(request.user)
    return render(
        request,
        "crm/account_detail.html",
        {
            "account": account,
            "current_people": current,
            "former_people": former,
            "history": history_for(account),
            "editable": editable,
            "panel_state": panel_state or {},
            "person_form": person_form or (NewPersonForm(prefix="person") if editable else None),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    _require_crm_write(request.user)
    form = AccountForm(request.POST or None)

    def write(data):
        data = {k: v for k, v in data.items() if k != "version"}
        data["owner"] = data.get("owner") or request.user
        return services.do_create_account(request.user, **data)

    if account := submit(request, form, write, lambda a: f"Account “{a.name}” created."):
        return redirect(account)
    return render(request, "crm/account_form.html", {"form": form, "account": None})


@require_http_methods(["GET", "POST"])
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_user(request.user, pk, write=True)
    form = AccountForm(
        request.POST or None, instance=account, initial={"version": version_of(account)}
    )

    def write(data):
        data = dict(data)
        version = data.pop("version", None)
        data["owner"] = data.get("owner") or account.owner
        return services.do_update_account(account, request.user, data, version=version)

    if saved := submit(request, form, write, lambda a: "Account saved."):
        return redirect(saved)
    return render(request, "crm/account_form.html", {"form": form, "account": account})


@require_POST
def account_add_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a new person and their role at this account in one step."""
    account = get_account_for_user(request.user, pk, write=True)
    form = NewPersonForm(request.POST, prefix="person")
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                contact = services.do_create_contact(
                    request.user,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    emails=[data["email"]] if data["email"] else [],
                    phones=[data["phone"]] if data["phone"] else [],
                )
                services.do_add_stakeholder(
                    request.user,
                    contact=contact,
                    account=account,
                    title=data["title"],
                    influence=data["influence"],
                    start_date=data["start_date"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{contact.full_name} added to {account.name}.")
            return redirect(account)
    return account_page(request, account, person_form=form, status=400)


@require_GET
def contact_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "crm.view_contact")
    contact_filter = ContactFilter(request.GET, queryset=Contact.objects.all(), request=request)
    contacts = contact_filter.qs if contact_filter.is_valid() else Contact.objects.none()
    contacts, sort = sort_queryset(request, queries.contact_list(contacts), CONTACT_SORTS, "name")
    return render(
        request,
        "crm/contact_list.html",
        {
            "filter": contact_filter,
            "page_obj": paginate(request, contacts),
            "sort": sort,
            "query_without_sort": query_without(request, "sort", "page"),
            "query_without_page": query_without(request, "page"),
            "can_edit": can_edit_crm(request.user),
        },
    )


@require_GET
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_contact_for_user(request.user, pk)
    return contact_page(request, contact)


def contact_page(request, contact, *, role_form=None, refused=None, status=200):
    """The contact page. A refused role form comes back bound, open, with what was typed and
    why beside each field: `role_form` (add a role), or `refused` = (stakeholder pk, the
    name of its form "move_form" or "end_form", the form)."""
    editable = can_edit_crm(request.user)
    roles = list(queries.contact_roles(contact))
    if editable:
        # One pair of forms per current role, with ids of their own.
        for role in roles:
            if role.is_current:
                role.move_form = MoveStakeholderForm(prefix="move", auto_id=f"move{role.pk}-%s")
                role.end_form = EndStakeholderForm(prefix="end", auto_id=f"end{role.pk}-%s")
                if refused and refused[0] == role.pk:
                    setattr(role, refused[1], refused[2])
                    role.refused = refused[1]
    return render(
        request,
        "crm/contact_detail.html",
        {
            "contact": contact,
            "emails": list(contact.emails.all()),
            "phones": list(contact.phones.all()),
            "roles": roles,
            "history": history_for(contact),
            "role_history": queries.role_history(contact),
            "editable": editable,
            "role_form": role_form or (StakeholderForm(prefix="role") if editable else None),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest) -> HttpResponse:
    _require_crm_write(request.user)
    form = ContactForm(request.POST or None)

    def write(data):
        fields = {k: data[k] for k in ("first_name", "last_name", "notes", "emails", "phones")}
        return services.do_create_contact(request.user, **fields)

    if contact := submit(request, form, write, lambda c: f"{c.full_name} added."):
        return redirect(contact)
    return render(request, "crm/contact_form.html", {"form": form, "contact": None})


@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_contact_for_user(request.user, pk, write=True)
    form = ContactForm(
        request.POST or None, instance=contact, initial={"version": version_of(contact)}
    )

    def write(data):
        return services.do_update_contact(
            contact,
            request.user,
            {k: data[k] for k in ("first_name", "last_name", "notes")},
            emails=data["emails"],
            phones=data["phones"],
            version=data["version"],
        )

    if saved := submit(request, form, write, lambda c: "Contact saved."):
        return redirect(saved)
    return render(request, "crm/contact_form.html", {"form": form, "contact": contact})


@require_POST
def contact_add_role(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_contact_for_user(request.user, pk, write=True)
    form = StakeholderForm(request.POST, prefix="role")
    if form.is_valid():
        try:
            services.do_add_stakeholder(request.user, contact=contact, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Role at {form.cleaned_data['account']} added.")
            return redirect(contact)
    return contact_page(request, contact, role_form=form, status=400)


@require_POST
def stakeholder_end(request: HttpRequest, pk: int) -> HttpResponse:
    stakeholder = get_stakeholder_for_user(request.user, pk, write=True)
    form = EndStakeholderForm(request.POST, prefix="end", auto_id=f"end{stakeholder.pk}-%s")
    if form.is_valid():
        try:
            services.do_end_stakeholder(stakeholder, request.user, form.cleaned_data["end_date"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Role at {stakeholder.account} ended.")
            return redirect(stakeholder.contact)
    return contact_page(
        request, stakeholder.contact, refused=(stakeholder.pk, "end_form", form), status=400
    )


@require_POST
def stakeholder_move(request: HttpRequest, pk: int) -> HttpResponse:
    """“Moved to …”: end the role here and start one at another account, in one step."""
    stakeholder = get_stakeholder_for_user(request.user, pk, write=True)
    form = MoveStakeholderForm(
        request.POST, prefix="move", auto_id=f"move{stakeholder.pk}-%s", stakeholder=stakeholder
    )
    if form.is_valid():
        try:
            new = services.do_move_stakeholder(stakeholder, request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"{stakeholder.contact} moved from {stakeholder.account} to {new.account}."
            )
            return redirect(stakeholder.contact)
    return contact_page(
        request, stakeholder.contact, refused=(stakeholder.pk, "move_form", form), status=400
    )
