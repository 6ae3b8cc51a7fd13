from django.urls import path
from django.views.decorators.http import require_safe

from .views import calls, proposals

app_name = "projects"

urlpatterns = [
    path("", calls.ProjectsIndexView.as_view(), name="index"),
    path("calls/", calls.CallListView.as_view(), name="call_list"),
    path("calls/feed/", require_safe(calls.CallFeed()), name="call_feed"),
    path("calls/feed/<slug:centre>/", require_safe(calls.CallFeed()), name="call_feed_centre"),
    path("calls/<slug:slug>/", calls.CallDetailView.as_view(), name="call_detail"),
    path("proposals/", proposals.ProposalListView.as_view(), name="proposal_list"),
    path("proposals/new/", proposals.ProposalCreateView.as_view(), name="proposal_create"),
    path("proposals/<int:pk>/", proposals.ProposalDetailView.as_view(), name="proposal_detail"),
    path("proposals/<int:pk>/edit/", proposals.ProposalEditView.as_view(), name="proposal_edit"),
    path(
        "proposals/<int:pk>/partners/",
        proposals.PartnerInviteView.as_view(),
        name="partner_invite",
    ),
    path(
        "proposals/<int:pk>/partners/<int:partner_id>/answer/",
        proposals.PartnerAnswerView.as_view(),
        name="partner_answer",
    ),
    path(
        "proposals/<int:pk>/partners/<int:partner_id>/remove/",
        proposals.PartnerRemoveView.as_view(),
        name="partner_remove",
    ),
    path(
        "proposals/<int:pk>/documents/",
        proposals.DocumentUploadView.as_view(),
        name="document_upload",
    ),
    path(
        "proposals/<int:pk>/documents/<int:document_id>/",
        proposals.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path(
        "proposals/<int:pk>/documents/<int:document_id>/remove/",
        proposals.DocumentRemoveView.as_view(),
        name="document_remove",
    ),
    path("proposals/<int:pk>/submit/", proposals.ProposalSubmitView.as_view(), name="submit"),
    path("proposals/<int:pk>/withdraw/", proposals.ProposalWithdrawView.as_view(), name="withdraw"),
]
