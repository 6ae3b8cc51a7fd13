from django.urls import path

from .views import colleagues, dashboard, directory, organisations

app_name = "members"

urlpatterns = [
    path("", directory.DirectoryView.as_view(), name="directory"),
    path("register/", organisations.OrganisationRegisterView.as_view(), name="register"),
    path("my/", dashboard.MyClusterView.as_view(), name="my_cluster"),
    path(
        "invitations/<str:token>/",
        colleagues.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path("<slug:slug>/", directory.OrganisationDetailView.as_view(), name="organisation_detail"),
    path(
        "<slug:slug>/edit/", organisations.OrganisationEditView.as_view(), name="organisation_edit"
    ),
    path("<slug:slug>/colleagues/", colleagues.ColleaguesView.as_view(), name="colleagues"),
    path(
        "<slug:slug>/colleagues/invite/",
        colleagues.InvitationCreateView.as_view(),
        name="invitation_create",
    ),
    path(
        "<slug:slug>/colleagues/invitations/<int:invitation_id>/revoke/",
        colleagues.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    path(
        "<slug:slug>/colleagues/<int:membership_id>/role/",
        colleagues.MembershipRoleView.as_view(),
        name="membership_role",
    ),
    path(
        "<slug:slug>/colleagues/<int:membership_id>/remove/",
        colleagues.MembershipRemoveView.as_view(),
        name="membership_remove",
    ),
    path("<slug:slug>/leave/", colleagues.MembershipLeaveView.as_view(), name="membership_leave"),
]
