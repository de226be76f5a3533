"""The shape of every app's API permissions: the same rules as the pages, taken from each
app's access.py. Everyone signed in with the view permission reads; writes follow the app's
rule."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


def _can_view(user, view) -> bool:
    opts = view.queryset.model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


class ReadForViewersWriteByRule(BasePermission):
    """Signed in and holding the model's view permission to read; `can_write` to write."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if not _can_view(user, view):
            self.message = "You cannot see this."
            return False
        return request.method in SAFE_METHODS or self.can_write(request, view)

    def can_write(self, request, view) -> bool:
        raise NotImplementedError
