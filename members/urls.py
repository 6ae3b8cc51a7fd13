from django.urls import path

from .views import colleagues, organisations

app_name = "members"

urlpatterns = [
    path("register/", organisations.OrganisationRegisterView.as_view(), name="register"),
    path(
        "invitations/<str:token>/",
        colleagues.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
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
