import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tandem.pipeline.access import can_add_deal, can_edit_deal, deals_for_user, get_deal_for_user
from tandem.pipeline.tests.factories import DealFactory

MANAGERS = ["project_manager", "resource_manager", "executive", "admin_user"]


@pytest.fixture
def deal(seller):
    return DealFactory(owner=seller)


@pytest.mark.django_db
def test_a_seller_can_edit_a_deal_they_own(seller, deal):
    assert can_edit_deal(seller, deal) is True


@pytest.mark.django_db
def test_a_seller_cannot_edit_another_sellers_deal(other_seller, deal):
    assert can_edit_deal(other_seller, deal) is False


@pytest.mark.django_db
@pytest.mark.parametrize("persona", MANAGERS)
def test_managers_and_admins_can_edit_every_deal(request, persona, deal):
    user = request.getfixturevalue(persona)

    assert can_edit_deal(user, deal) is True


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["finance", "crew"])
def test_finance_and_crew_edit_no_deal_not_even_one_they_own(request, persona):
    user = request.getfixturevalue(persona)
    deal = DealFactory(owner=user)

    assert can_edit_deal(user, deal) is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("seller", True),
        ("project_manager", True),
        ("resource_manager", True),
        ("executive", True),
        ("admin_user", True),
        ("finance", False),
        ("crew", False),
    ],
)
def test_who_can_add_deals(request, persona, expected):
    user = request.getfixturevalue(persona)

    assert can_add_deal(user) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["seller", "other_seller", "finance", "crew", *MANAGERS])
def test_everyone_with_a_role_reads_every_deal(request, persona, deal):
    user = request.getfixturevalue(persona)
    other = DealFactory()

    assert get_deal_for_user(user, deal.pk) == deal
    assert set(deals_for_user(user)) == {deal, other}


@pytest.mark.django_db
def test_someone_without_a_role_reads_no_deal(outsider, deal):
    assert list(deals_for_user(outsider)) == []
    with pytest.raises(PermissionDenied, match="cannot see deals"):
        get_deal_for_user(outsider, deal.pk)


@pytest.mark.django_db
def test_a_seller_gets_their_own_deal_for_writing(seller, deal):
    assert get_deal_for_user(seller, deal.pk, write=True) == deal


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["other_seller", "finance", "crew"])
def test_writing_a_deal_without_the_right_is_denied(request, persona, deal):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied, match="Only the deal's owner or a manager"):
        get_deal_for_user(user, deal.pk, write=True)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", MANAGERS)
def test_managers_get_any_deal_for_writing(request, persona, deal):
    user = request.getfixturevalue(persona)

    assert get_deal_for_user(user, deal.pk, write=True) == deal


@pytest.mark.django_db
@pytest.mark.parametrize("write", [False, True])
def test_an_unknown_deal_is_not_found(seller, deal, write):
    with pytest.raises(Http404):
        get_deal_for_user(seller, deal.pk + 1000, write=write)
