from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from .. import rules
from ..selectors import membership_list_for_user


class MyClusterView(LoginRequiredMixin, TemplateView):
    """A member's home: their organisations, where each stands, and what to do next."""

    template_name = "members/my_cluster.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = membership_list_for_user(user=self.request.user)
        context["can_register"] = rules.can_register_organisation(self.request.user)
        # Reverse relation: members does not import competence_centres.
        context["coordinated_centres"] = self.request.user.coordinated_centres.filter(
            is_active=True
        )
        return context
