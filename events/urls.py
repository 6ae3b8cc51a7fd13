from django.urls import path

from . import views

app_name = "events"

# The fixed paths come before an event's slug; models.RESERVED_SLUGS keeps events off them.
urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("feed.ics", views.EventFeedView.as_view(), name="feed"),
    path("centres/<slug:slug>/feed.ics", views.CentreFeedView.as_view(), name="centre_feed"),
    path("my/", views.MyEventsView.as_view(), name="my"),
    path("cancel/<str:token>/", views.RegistrationCancelLinkView.as_view(), name="cancel_link"),
    path(
        "my/registrations/<int:pk>/cancel/",
        views.RegistrationCancelView.as_view(),
        name="cancel",
    ),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/register/", views.RegistrationCreateView.as_view(), name="register"),
    path("<slug:slug>/event.ics", views.EventIcsView.as_view(), name="ics"),
]
