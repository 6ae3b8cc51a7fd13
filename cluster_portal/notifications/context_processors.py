from .reading import unread_count_for


def unread_notifications(request):
    """The header's unread count: one indexed COUNT, only for logged-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": unread_count_for(user=user)}
