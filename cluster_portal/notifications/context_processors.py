from django.utils.functional import SimpleLazyObject

from .reading import unread_count_for


def unread_notifications(request):
    """The header's unread count: one indexed COUNT, only for logged-in users, and only
    when a template shows it (the admin's pages never do)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": SimpleLazyObject(lambda: unread_count_for(user=user))}
