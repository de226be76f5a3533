import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tandem.crm.access import (
    can_edit_crm,
    get_account_for_user,
    get_contact_for_user,
    get_stakeholder_for_user,
)
from tandem.crm.tests.factories import AccountFactory, ContactFactory, StakeholderFactory

WRITERS = ["seller", "other_seller", "project_manager", "executive", "admin_user"]
GETTERS = [
    pytest.param(get_account_for_user, AccountFactory, id="account"),
    pytest.param(get_contact_for_user, ContactFactory, id="contact"),
    pytest.param(get_stakeholder_for_user, StakeholderFactory, id="stakeholder"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [(name, True) for name in WRITERS] + [("finance", False), ("crew", False)],
)
def test_who_can_edit_the_crm(request, persona, expected):
    user = request.getfixturevalue(persona)

    assert can_edit_crm(user) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [*WRITERS, "finance", "crew"])
@pytest.mark.parametrize(("get_for_user", "factory"), GETTERS)
def test_everyone_with_a_role_reads_the_crm(request, persona, get_for_user, factory):
    user = request.getfixturevalue(persona)
    row = factory()

    assert get_for_user(user, row.pk) == row


@pytest.mark.django_db
@pytest.mark.parametrize("persona", WRITERS)
@pytest.mark.parametrize(("get_for_user", "factory"), GETTERS)
def test_sellers_managers_and_admins_may_write_any_crm_row(request, persona, get_for_user, factory):
    user = request.getfixturevalue(persona)
    row = factory()

    assert get_for_user(user, row.pk, write=True) == row


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["finance", "crew"])
@pytest.mark.parametrize(("get_for_user", "factory"), GETTERS)
def test_finance_and_crew_may_not_write_to_the_crm(request, persona, get_for_user, factory):
    user = request.getfixturevalue(persona)
    row = factory()

    with pytest.raises(PermissionDenied, match="cannot change accounts and contacts"):
        get_for_user(user, row.pk, write=True)


@pytest.mark.django_db
@pytest.mark.parametrize(("get_for_user", "factory"), GETTERS)
def test_someone_without_a_role_cannot_read_the_crm(outsider, get_for_user, factory):
    row = factory()

    with pytest.raises(PermissionDenied, match="cannot see this"):
        get_for_user(outsider, row.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(("get_for_user", "factory"), GETTERS)
def test_an_unknown_crm_row_is_not_found(seller, get_for_user, factory):
    row = factory()

    with pytest.raises(Http404):
        get_for_user(seller, row.pk + 1000)
