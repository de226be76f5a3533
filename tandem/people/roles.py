"""Which Django permissions each role's group holds.

Each app declares the permissions it gives each role beside its access rules (its
`access.py` calls `tandem.core.registry.grant`); this module only reads them. Admins hold
every permission of Tandem's own apps.
"""

from django.apps import apps

from tandem.core.registry import registry
from tandem.people.models import Role

# Apps outside Tandem whose permissions the admin group holds too.
OTHER_ADMIN_APPS = ("authtoken",)


def role_permissions() -> dict[str, list[str]]:
    """Each role and the permissions ("app_label.codename") the apps gave it."""
    return {role: registry.permissions_of(role) for role in Role if role != Role.ADMIN}


def admin_apps() -> tuple[str, ...]:
    """The app labels whose every permission the admin group holds."""
    own = [config.label for config in apps.get_app_configs() if config.name.startswith("tandem.")]
    return (*own, *OTHER_ADMIN_APPS)


def group_name(role: str) -> str:
    return Role(role).label


def for_roles(*roles):
    """A panel's `visible` test: the user holds one of `roles` (admins see them all)."""
    wanted = {str(role) for role in roles}

    def visible(user, obj=None) -> bool:
        return getattr(user, "role", None) in wanted or getattr(user, "role", None) == Role.ADMIN

    return visible
