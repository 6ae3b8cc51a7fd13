from urllib.parse import urlencode

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .core.admin_adding import OneAddAtATimeMixin
from .core.second_factor import has_second_factor


def safe_next(request) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


class ClusterAdminSite(admin.AdminSite):
    site_header = _("Cluster Portal administration")
    site_title = _("Cluster Portal")
    index_title = _("Coordination")

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every model's additions, the portal's and the libraries' (groups, e-mail
        # addresses), are made one at a time: a double-clicked Save adds once.
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, OneAddAtATimeMixin):
            admin_class = type(
                admin_class.__name__,
                (OneAddAtATimeMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._app_lists = {}

    def has_permission(self, request):
        return super().has_permission(request) and has_second_factor(request.user)

    def get_app_list(self, request, app_label=None):
        # Every admin page's sidebar lists the models its user may open: about 30 permission
        # checks and URL reversals, a tenth of a proposal's page (bench/review.py). The
        # list is the same for everyone with the same permissions (the ModelAdmins here
        # decide by permissions and superuser status only), so each process builds it once
        # for each set of them, in each language (it is sorted by translated names).
        if app_label is not None:
            return super().get_app_list(request, app_label)
        user = request.user
        key = (
            user.is_active,
            user.is_staff,
            user.is_superuser,
            frozenset(user.get_all_permissions()),
            get_language(),
        )
        app_list = self._app_lists.get(key)
        if app_list is None:
            if len(self._app_lists) >= 100:  # a bound, far above the office's roles
                self._app_lists.clear()
            app_list = self._app_lists[key] = super().get_app_list(request)
        return app_list

    def login(self, request, extra_context=None):
        # One login for everybody: allauth's, which runs the MFA stage and the rate limits.
        user = request.user
        if user.is_authenticated and user.is_active and user.is_staff:
            if not has_second_factor(user):
                messages.warning(
                    request,
                    _("Set up two-factor authentication before you use the administration."),
                )
                return redirect("mfa_activate_totp")
            return redirect(safe_next(request))
        if user.is_authenticated:
            messages.error(request, _("Your account has no access to the administration."))
            return redirect("home")
        query = urlencode({"next": safe_next(request)})
        return redirect(f"{reverse('account_login')}?{query}")
