from django.urls import path

from . import views

app_name = "competence_centres"

urlpatterns = [
    path("", views.CentreListView.as_view(), name="list"),
    path("<slug:slug>/", views.CentreDetailView.as_view(), name="detail"),
    path("<slug:slug>/join/", views.ParticipationRequestView.as_view(), name="request"),
    path(
        "<slug:slug>/participations/<int:participation_id>/leave/",
        views.ParticipationLeaveView.as_view(),
        name="leave",
    ),
    path("<slug:slug>/coordination/", views.CentreCoordinationView.as_view(), name="coordination"),
    path(
        "<slug:slug>/coordination/contacts.csv",
        views.CentreContactsCsvView.as_view(),
        name="contacts_csv",
    ),
    path(
        "<slug:slug>/coordination/requests/<int:participation_id>/decide/",
        views.ParticipationDecideView.as_view(),
        name="decide",
    ),
]
