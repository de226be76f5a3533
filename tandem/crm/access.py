"""Who may see and change accounts, contacts and stakeholders: everyone signed in reads;
sellers, managers and admins write; finance and crew read only."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tandem.crm.models import Account, Contact, Stakeholder


def can_edit_crm(user) -> bool:
    return user.has_perm("crm.change_account")


def _check(user, model: str, write: bool) -> None:
    if not user.has_perm(f"crm.view_{model}"):
        raise PermissionDenied("You cannot see this.")
    if write and not user.has_perm(f"crm.change_{model}"):
        raise PermissionDenied("Your role cannot change accounts and contacts.")


def get_account_for_user(user, pk, *, write: bool = False) -> Account:
    account = get_object_or_404(Account.objects.select_related("owner"), pk=pk)
    _check(user, "account", write)
    return account


def get_contact_for_user(user, pk, *, write: bool = False) -> Contact:
    contact = get_object_or_404(Contact, pk=pk)
    _check(user, "contact", write)
    return contact


def get_stakeholder_for_user(user, pk, *, write: bool = False) -> Stakeholder:
    stakeholder = get_object_or_404(Stakeholder.objects.select_related("contact", "account"), pk=pk)
    _check(user, "stakeholder", write)
    return stakeholder


def accounts_for_user(user):
    """The accounts `user` may read."""
    return Account.objects.all() if user.has_perm("crm.view_account") else Account.objects.none()


def contacts_for_user(user):
    """The contacts `user` may read."""
    return Contact.objects.all() if user.has_perm("crm.view_contact") else Contact.objects.none()
