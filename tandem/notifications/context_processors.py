from django.utils.functional import SimpleLazyObject

from tandem.notifications.services import unread_count


def unread_notifications(request):
    """The navbar's unread count: counted once, and only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
