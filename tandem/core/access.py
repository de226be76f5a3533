"""The one shape every app's access rules share."""

from django.core.exceptions import PermissionDenied


def require_perm(user, permission: str, message: str = "You cannot see this.") -> None:
    """Refuse (403) unless `user` holds `permission` ("app_label.codename")."""
    if not user.has_perm(permission):
        raise PermissionDenied(message)
