from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from cluster_portal.core.errors import DomainError

from .. import rules
from ..forms import OrganisationForm
from ..models import Organisation
from ..services import organisation_register, organisation_update_profile


class OrganisationRegisterView(LoginRequiredMixin, FormView):
    """The membership application: the applicant becomes the organisation's first admin."""

    template_name = "members/organisation_form.html"
    form_class = OrganisationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.can_register_organisation(request.user):
            messages.warning(request, _("Verify your e-mail address first: we sent you a link."))
            return redirect("account_email")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(registering=True, **kwargs)

    def form_valid(self, form):
        organisation = form.save(commit=False)
        try:
            organisation_register(
                actor=self.request.user, organisation=organisation, logo=form.processed_logo
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Thank you: %(name)s has applied for membership. The cluster office reviews "
                "applications and you will get an e-mail with the decision."
            )
            % {"name": organisation.name},
        )
        return redirect("pages:my_cluster")


class OrganisationEditView(LoginRequiredMixin, FormView):
    template_name = "members/organisation_form.html"
    form_class = OrganisationForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        # Only its admins learn that a non-public organisation exists at this address.
        self.organisation = get_object_or_404(
            Organisation.objects.filter(memberships__user=request.user, memberships__role="admin"),
            slug=kwargs["slug"],
        )
        if not rules.can_edit_organisation(request.user, self.organisation):
            messages.error(request, _("This organisation's profile can no longer be changed."))
            return redirect("pages:my_cluster")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.organisation}

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.organisation, **kwargs)

    def form_valid(self, form):
        organisation = form.save(commit=False)
        try:
            organisation_update_profile(
                actor=self.request.user,
                organisation=organisation,
                fields=list(form._meta.fields),
                logo=form.processed_logo,
            )
        except DomainError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("The profile is saved."))
        return redirect("pages:my_cluster")
