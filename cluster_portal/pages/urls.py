from django.urls import path

from .views import calendar, directory, my_cluster, privacy, site

app_name = "pages"

# The root URLconf includes the members app's URLs before these: its fixed paths under
# members/ (register/, invitations/...) win over an organisation's slug here.
urlpatterns = [
    path("about/", site.AboutView.as_view(), name="about"),
    path("news/", site.NewsListView.as_view(), name="news_list"),
    path("news/<slug:slug>/", site.NewsDetailView.as_view(), name="news_detail"),
    path("privacy/", privacy.PrivacyNoticeView.as_view(), name="privacy"),
    path("my/data/", privacy.YourDataView.as_view(), name="your_data"),
    path("my/data/export/", privacy.DataExportRequestView.as_view(), name="data_export_request"),
    path(
        "my/data/export/<uuid:token>/",
        privacy.DataExportDownloadView.as_view(),
        name="data_export_download",
    ),
    path("my/delete/", privacy.AccountDeleteView.as_view(), name="account_delete"),
    path("members/", directory.DirectoryView.as_view(), name="directory"),
    path("members/my/", my_cluster.MyClusterView.as_view(), name="my_cluster"),
    path("members/my/calendar/", calendar.MyCalendarView.as_view(), name="my_calendar"),
    path(
        "calendar/<str:token>.ics",
        calendar.PersonalCalendarFeedView.as_view(),
        name="personal_calendar",
    ),
    path(
        "members/<slug:slug>/",
        directory.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
]
