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
    return settings.PORTAL_DEMO_MODE or (user.is_authenticated and is_mfa_enabled(user))


def redirect_to_second_factor_setup(request):
    messages.warning(
        request,
        _(
            "Set up two-factor authentication first: this page shows other people's "
            "private data or decides for the cluster."
        ),
    )
    return redirect("mfa_activate_totp")
