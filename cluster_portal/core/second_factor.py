"""Two-factor authentication for everyone who sees other people's private data or decides
for the cluster: the admin, a centre's coordination pages, and whatever joins them.

One rule, one place: outside demo mode (`make run`) such pages need an account with MFA
enabled, which allauth's login then always asks for.
"""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def has_second_factor(user) -> bool:
    if settings.PORTAL_DEMO_MODE:
        return True
    if not user.is_authenticated:
        return False
    # The admin asks on every permission check of a page (twice or more a request): one
    # query per request, kept on that request's user object.
    enabled = getattr(user, "_portal_second_factor", None)
    if enabled is None:
        enabled = user._portal_second_factor = is_mfa_enabled(user)
    return enabled


def redirect_to_second_factor_setup(request):
    messages.warning(
        request,
        _(
            "Set up two-factor authentication first: this page shows other people's "
            "private data or decides for the cluster."
        ),
    )
    return redirect("mfa_activate_totp")
