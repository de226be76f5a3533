import pytest
from django.contrib.auth.models import Group, Permission

from tandem.people.models import Role, User
from tandem.people.roles import admin_apps, group_name, role_permissions
from tandem.people.services import do_create_user, do_set_role, sync_role_groups
from tandem.people.tests.factories import UserFactory

READ = {
    "crm.view_account",
    "crm.view_contact",
    "crm.view_stakeholder",
    "pipeline.view_activity",
    "pipeline.view_stage",
    "pipeline.view_deal",
    "pipeline.view_closedatechange",
    "closeplans.view_plantemplate",
    "closeplans.view_closeplan",
    "closeplans.view_planstep",
    "catalog.view_supplier",
    "catalog.view_catalogitem",
    "catalog.view_labourrole",
    "estimates.view_estimaterequest",
    "estimates.view_estimate",
    "estimates.view_pastproject",
}
REQUEST = {"estimates.add_estimaterequest", "estimates.change_estimaterequest"}
ESTIMATE = {
    "estimates.add_estimate",
    "estimates.change_estimate",
    "estimates.add_pastproject",
    "estimates.change_pastproject",
    "estimates.delete_pastproject",
}
COSTS = {"catalog.view_costs"}
CATALOG = {
    "catalog.add_supplier",
    "catalog.change_supplier",
    "catalog.add_catalogitem",
    "catalog.change_catalogitem",
}
TEMPLATES = {
    "closeplans.add_plantemplate",
    "closeplans.change_plantemplate",
    "closeplans.delete_plantemplate",
}
CRM_WRITE = {
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
    "pipeline.add_activity",
}
EXPECTED = {
    Role.SELLER: READ | CRM_WRITE | REQUEST | {"pipeline.add_deal", "pipeline.change_own_deal"},
    Role.PROJECT_MANAGER: READ
    | CRM_WRITE
    | {"pipeline.add_deal", "pipeline.change_deal"}
    | TEMPLATES
    | COSTS
    | CATALOG
    | REQUEST
    | ESTIMATE,
    Role.RESOURCE_MANAGER: READ
    | CRM_WRITE
    | {"pipeline.add_deal", "pipeline.change_deal"}
    | TEMPLATES
    | COSTS
    | CATALOG
    | REQUEST
    | ESTIMATE,
    Role.EXECUTIVE: READ
    | CRM_WRITE
    | {"pipeline.add_deal", "pipeline.change_deal"}
    | TEMPLATES
    | COSTS
    | REQUEST,
    Role.FINANCE: READ | COSTS,
    Role.CREW: READ,
}


def _group_permissions(role) -> set[str]:
    group = Group.objects.get(name=group_name(role))
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def _role_groups(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


@pytest.mark.parametrize(
    ("role", "name"),
    [
        (Role.SELLER, "Seller"),
        (Role.PROJECT_MANAGER, "Project manager"),
        (Role.FINANCE, "Finance"),
        ("admin", "Admin"),
    ],
)
def test_a_roles_group_is_named_after_its_label(role, name):
    assert group_name(role) == name


def test_an_unknown_role_has_no_group_name():
    with pytest.raises(ValueError, match="'boss'"):
        group_name("boss")


@pytest.mark.django_db
def test_every_permission_a_role_names_exists():
    # sync_role_groups skips names it cannot find, so a typo would quietly drop a right.
    existing = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }

    named = {name for names in role_permissions().values() for name in names}

    assert named - existing == set()


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_roles_group_has_exactly_its_permissions(role):
    assert _group_permissions(role) == EXPECTED[role]


@pytest.mark.django_db
def test_a_seller_changes_their_own_deals_but_not_every_deal():
    permissions = _group_permissions(Role.SELLER)

    assert "pipeline.change_own_deal" in permissions
    assert "pipeline.change_deal" not in permissions


@pytest.mark.django_db
def test_finance_reads_but_writes_nothing():
    permissions = _group_permissions(Role.FINANCE)

    assert {p for p in permissions if ".view_" not in p} == set()


@pytest.mark.django_db
def test_the_admin_group_holds_every_permission_of_tandems_apps():
    expected = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(
            content_type__app_label__in=admin_apps()
        ).values_list("content_type__app_label", "codename")
    }

    permissions = _group_permissions(Role.ADMIN)

    assert permissions == expected
    assert {"people.change_user", "pipeline.delete_deal", "pipeline.change_deal"} <= permissions
    assert "auth.change_group" not in permissions


@pytest.mark.django_db
def test_syncing_the_groups_again_restores_a_removed_permission():
    group = Group.objects.get(name="Seller")
    group.permissions.remove(Permission.objects.get(codename="change_own_deal"))

    sync_role_groups()

    assert _group_permissions(Role.SELLER) == EXPECTED[Role.SELLER]


@pytest.mark.django_db
def test_syncing_the_groups_again_takes_away_an_extra_permission():
    group = Group.objects.get(name="Finance")
    group.permissions.add(Permission.objects.get(codename="change_deal"))

    sync_role_groups()

    assert _group_permissions(Role.FINANCE) == EXPECTED[Role.FINANCE]


@pytest.mark.django_db
def test_setting_a_role_moves_the_user_to_that_roles_group_alone(seller):
    do_set_role(seller, Role.FINANCE)

    user = User.objects.get(pk=seller.pk)
    assert user.role == "finance"
    assert _role_groups(user) == ["Finance"]
    assert user.has_perm("pipeline.view_deal") is True
    assert user.has_perm("pipeline.change_own_deal") is False


@pytest.mark.django_db
def test_setting_a_role_keeps_groups_that_are_not_roles(seller):
    seller.groups.add(Group.objects.create(name="Newsletter"))

    do_set_role(seller, Role.EXECUTIVE)

    assert _role_groups(seller) == ["Executive", "Newsletter"]


@pytest.mark.django_db
def test_setting_the_same_role_twice_leaves_one_group(seller):
    do_set_role(seller, Role.SELLER)

    assert _role_groups(seller) == ["Seller"]


@pytest.mark.django_db
def test_only_admins_may_use_the_admin_site():
    user = UserFactory(username="riley", role=Role.SELLER)
    assert user.is_staff is False

    do_set_role(user, Role.ADMIN)
    assert User.objects.get(pk=user.pk).is_staff is True

    do_set_role(user, Role.PROJECT_MANAGER)
    assert User.objects.get(pk=user.pk).is_staff is False


@pytest.mark.django_db
def test_a_superuser_keeps_the_admin_site_whatever_their_role(admin_user):
    do_set_role(admin_user, Role.SELLER)

    user = User.objects.get(pk=admin_user.pk)
    assert user.is_staff is True
    assert _role_groups(user) == ["Seller"]


@pytest.mark.django_db
def test_setting_an_unknown_role_is_refused_and_changes_nothing(seller):
    with pytest.raises(ValueError, match="'boss'"):
        do_set_role(seller, "boss")

    user = User.objects.get(pk=seller.pk)
    assert user.role == "seller"
    assert _role_groups(user) == ["Seller"]


@pytest.mark.django_db
def test_a_user_created_without_a_password_cannot_sign_in():
    user = do_create_user("cal", role=Role.CREW, display_name="Cal Crew")

    user = User.objects.get(pk=user.pk)
    assert user.has_usable_password() is False
    assert user.role == "crew"
    assert _role_groups(user) == ["Crew"]


@pytest.mark.django_db
def test_a_user_created_with_a_password_can_sign_in_with_it():
    user = do_create_user("pat", role=Role.PROJECT_MANAGER, password="s3cret-enough")

    user = User.objects.get(pk=user.pk)
    assert user.check_password("s3cret-enough") is True
    assert _role_groups(user) == ["Project manager"]
