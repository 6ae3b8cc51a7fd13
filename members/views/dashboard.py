from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from .. import rules
from ..selectors import invitation_list_for_user, membership_list_for_user
from ..tokens import invitation_accept_path


class MyClusterView(LoginRequiredMixin, TemplateView):
    """A member's home: their organisations, where each stands, and what to do next."""

    template_name = "members/my_cluster.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = membership_list_for_user(user=self.request.user)
        context["can_register"] = rules.can_register_organisation(self.request.user)
        invitations = list(invitation_list_for_user(user=self.request.user))
        for invitation in invitations:
            # Made here, for the logged-in owner of the address: never stored anywhere.
            invitation.accept_path = invitation_accept_path(invitation=invitation)
        context["invitations"] = invitations
        # Reverse relation: members does not import competence_centres.
        context["coordinated_centres"] = self.request.user.coordinated_centres.filter(
            is_active=True
        )
        return context
