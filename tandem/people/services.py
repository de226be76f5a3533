from django.contrib.auth.models import Group, Permission
from django.db import transaction

from tandem.people.models import Role, User
from tandem.people.roles import admin_apps, group_name, role_permissions


def _permissions(names: list[str]) -> list[Permission]:
    wanted = {tuple(name.split(".", 1)) for name in names}
    perms = Permission.objects.select_related("content_type").filter(
        content_type__app_label__in={app for app, _ in wanted}
    )
    return [p for p in perms if (p.content_type.app_label, p.codename) in wanted]


@transaction.atomic
def sync_role_groups() -> None:
    """Create one group per role and give it exactly the permissions the apps granted it."""
    granted = role_permissions()
    for role in Role:
        group, _ = Group.objects.get_or_create(name=group_name(role))
        if role == Role.ADMIN:
            perms = Permission.objects.filter(content_type__app_label__in=admin_apps())
        else:
            perms = _permissions(granted[role])
        group.permissions.set(perms)


@transaction.atomic
def do_set_role(user: User, role: str) -> User:
    """Give `user` the role and put them in its group alone; admins may use the admin site."""
    role = Role(role)
    user.role = role
    user.is_staff = role == Role.ADMIN or user.is_superuser
    user.save(update_fields=["role", "is_staff"])
    group, _ = Group.objects.get_or_create(name=group_name(role))
    role_groups = Group.objects.filter(name__in=[group_name(r) for r in Role])
    user.groups.remove(*role_groups.exclude(pk=group.pk))
    user.groups.add(group)
    return user


def do_create_user(
    username: str,
    *,
    role: str,
    password: str | None = None,
    display_name: str = "",
    title: str = "",
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    is_superuser: bool = False,
) -> User:
    """Create a person with a role (and its group). No password means they cannot sign in."""
    with transaction.atomic():
        user = User(
            username=username,
            display_name=display_name,
            title=title,
            email=email,
            first_name=first_name,
            last_name=last_name,
            is_superuser=is_superuser,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        return do_set_role(user, role)
