"""Persona fixtures shared by every test: one user per role, someone signed in with no role,
plus clients signed in as them."""

import importlib

import pytest
from hypothesis import settings as hypothesis_settings

from tandem.core.tests.migrating import migrate_to_latest
from tandem.people.models import Role, User
from tandem.people.tests.factories import UserFactory

# Timing is measured in bench/, not in tests: a busy CI machine must not fail a property test
# because one example ran slowly.
hypothesis_settings.register_profile("tandem", deadline=None)
hypothesis_settings.load_profile("tandem")


@pytest.fixture
def seller(db):
    return UserFactory(username="sam", display_name="Sam Seller", role=Role.SELLER)


@pytest.fixture
def other_seller(db):
    return UserFactory(username="sofia", display_name="Sofia Seller", role=Role.SELLER)


@pytest.fixture
def project_manager(db):
    return UserFactory(username="pat", display_name="Pat PM", role=Role.PROJECT_MANAGER)


@pytest.fixture
def resource_manager(db):
    return UserFactory(username="rita", display_name="Rita RM", role=Role.RESOURCE_MANAGER)


@pytest.fixture
def finance(db):
    return UserFactory(username="fin", display_name="Fin Finance", role=Role.FINANCE)


@pytest.fixture
def executive(db):
    return UserFactory(username="eve", display_name="Eve Exec", role=Role.EXECUTIVE)


@pytest.fixture
def admin_user(db):
    return UserFactory(
        username="admin", display_name="Ada Admin", role=Role.ADMIN, is_superuser=True
    )


@pytest.fixture
def crew(db):
    return UserFactory(username="cal", display_name="Cal Crew", role=Role.CREW)


@pytest.fixture
def outsider(db):
    """Someone signed in who is in no role group (their role was never set through
    people.services), so holds no permission at all."""
    return User.objects.create_user(username="nobody", password="pw")


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def seller_client(client, seller):
    return _client_for(client, seller)


@pytest.fixture
def pm_client(client, project_manager):
    return _client_for(client, project_manager)


@pytest.fixture
def finance_client(client, finance):
    return _client_for(client, finance)


@pytest.fixture
def admin_client_(client, admin_user):
    return _client_for(client, admin_user)


@pytest.fixture
def back_to_latest(transactional_db):
    """For tests that migrate back and forth: whatever happens in the test, the next tests
    find the schema as it is now."""
    yield
    migrate_to_latest()


@pytest.fixture(autouse=True)
def _default_rows_after_a_flush(request):
    """A transactional test starts from whatever the one before left: Django empties every
    table after such a test, the default stages (a data migration) and role groups
    (post_migrate) included. Put them back before anyone creates users or deals."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from tandem.people.services import sync_role_groups
    from tandem.pipeline.models import Stage

    if not Stage.objects.exists():
        migration = importlib.import_module("tandem.pipeline.migrations.0002_default_stages")
        Stage.objects.bulk_create(
            Stage(name=name, order=order, probability=p, is_won=won, is_lost=lost)
            for name, order, p, won, lost in migration.STAGES
        )
    sync_role_groups()
