"""Who may see and change accounts, contacts and stakeholders: everyone signed in reads;
sellers, managers and admins write; finance and crew read only."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tandem.core.registry import grant
from tandem.crm.models import Account, Contact, Stakeholder
from tandem.people.models import Role

_READ = ["crm.view_account", "crm.view_contact", "crm.view_stakeholder"]
_WRITE = [
    "crm.add_account",
    "crm.change_account",
    "crm.add_contact",
    "crm.change_contact",
    "crm.add_contactemail",
    "crm.change_contactemail",
    "crm.delete_contactemail",
    "crm.add_contactphone",
    "crm.change_contactphone",
    "crm.delete_contactphone",
    "crm.add_stakeholder",
    "crm.change_stakeholder",
]
# Everyone signed in reads accounts and contacts; the people who meet customers keep them.
grant(
    {
        Role.SELLER: _READ + _WRITE,
        Role.PROJECT_MANAGER: _READ + _WRITE,
        Role.RESOURCE_MANAGER: _READ + _WRITE,
        Role.EXECUTIVE: _READ + _WRITE,
        Role.FINANCE: _READ,
        Role.CREW: _READ,
    }
)


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
