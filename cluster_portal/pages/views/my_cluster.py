from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from competence_centres.enums import ParticipationStatus
from competence_centres.selectors import centre_list_coordinated_by
from members import rules as member_rules
from members.enums import OrganisationStatus
from members.selectors import invitation_list_for_user
from members.tokens import invitation_accept_path
from projects.selectors import proposal_list_for_user

from ..selectors import membership_list_for_user

MY_CLUSTER_PROPOSALS = 10


class MyClusterView(LoginRequiredMixin, TemplateView):
    """A member's home: their organisations, where each stands, and what to do next."""

    template_name = "pages/my_cluster.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        memberships = list(membership_list_for_user(user=user))
        for membership in memberships:
            membership.may_edit = member_rules.membership_may_edit(membership)
        invitations = list(invitation_list_for_user(user=user))
        for invitation in invitations:
            # Made here, for the logged-in owner of the address: never stored anywhere.
            invitation.accept_path = invitation_accept_path(invitation=invitation)
        context.update(
            memberships=memberships,
            can_register=member_rules.can_register_organisation(user),
            invitations=invitations,
            coordinated_centres=centre_list_coordinated_by(user=user),
            proposals=proposal_list_for_user(user=user)[:MY_CLUSTER_PROPOSALS],
            organisation_statuses=OrganisationStatus,
            participation_statuses=ParticipationStatus,
        )
        return context
