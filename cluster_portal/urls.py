from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from cluster_portal.pages.views import site as page_views
from events.views import CheckInView
from members.views.accounts import ActivateTOTPView, EmailView

urlpatterns = [
    path("healthz", page_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", page_views.favicon),
    path("i18n/<str:language>/", page_views.switch_language, name="switch_language"),
    path("admin/", admin.site.urls),
    # Logos are public and were re-encoded by us on upload, so Django may serve them itself
    # (the rest of MEDIA_ROOT never is: private files go through permission-checked views).
    re_path(r"^media/logos/(?P<path>.+)$", page_views.logo, name="logo"),
    re_path(r"^media/events/(?P<path>.+)$", page_views.event_image, name="event_image"),
    # What an attendee's QR code opens on a coordinator's phone. No language prefix: the
    # page speaks the phone's language, and a shorter link makes a code easier to scan.
    path("check-in/<str:token>/", CheckInView.as_view(), name="event_check_in"),
]

urlpatterns += i18n_patterns(
    path("", page_views.HomeView.as_view(), name="home"),
    # Before allauth's own: the portal's versions of its pages (members/views/accounts.py).
    path("accounts/email/", EmailView.as_view(), name="account_email"),
    path("accounts/2fa/totp/activate/", ActivateTOTPView.as_view(), name="mfa_activate_totp"),
    path("accounts/", include("allauth.urls")),
    # Before the site's pages, whose directory takes the rest of members/<slug>/.
    path("members/", include("members.urls")),
    path("", include("cluster_portal.pages.urls")),
    path("centres/", include("competence_centres.urls")),
    path("projects/", include("projects.urls")),
    path("events/", include("events.urls")),
    path("notifications/", include("cluster_portal.notifications.urls")),
    prefix_default_language=True,
)
