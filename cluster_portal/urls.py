from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from cluster_portal.pages import views as page_views

urlpatterns = [
    path("healthz", page_views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", page_views.HomeView.as_view(), name="home"),
    path("", include("cluster_portal.pages.urls")),
    path("accounts/", include("allauth.urls")),
    path("members/", include("members.urls")),
    path("centres/", include("competence_centres.urls")),
    path("projects/", include("projects.urls")),
    path("events/", include("events.urls")),
    path("notifications/", include("cluster_portal.notifications.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
