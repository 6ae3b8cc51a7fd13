from .reading import unread_count_for


def unread_notifications(request):
    """The header's unread count: one indexed COUNT, only for logged-in users and only on
    the site's pages (the admin's layout never shows it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    if match is not None and match.app_name == "admin":
        return {}
    return {"unread_notification_count": unread_count_for(user=user)}
