"""A member's proposals: drafting, partners, documents, submitting; the timeline.

A proposal is found among those the user takes part in (lead or invited/confirmed partner),
so anybody else gets a 404; inside it the rules decide. Every change is a POST to a service,
whose refusal becomes a message on the proposal's page — never a 500.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from cluster_portal.core.errors import DomainError
from members.models import Organisation

from .. import rules
from ..forms import DocumentForm, NewProposalForm, PartnerInviteForm, ProposalForm, WithdrawForm
from ..models import FundingCall, ProjectProposal, ProposalDocument
from ..selectors import (
    organisation_list_may_lead,
    proposal_for_user,
    proposal_list_for_user,
    timeline_for_applicants,
)
from ..services import (
    document_add,
    document_remove,
    partner_invite,
    partner_remove,
    partner_respond,
    proposal_create,
    proposal_missing_for_submission,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
)


class ProposalListView(LoginRequiredMixin, ListView):
    template_name = "projects/proposal_list.html"
    context_object_name = "proposals"
    paginate_by = 20

    def get_queryset(self):
        return proposal_list_for_user(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_lead=organisation_list_may_lead(user=self.request.user).exists(), **kwargs
        )


class ProposalCreateView(LoginRequiredMixin, View):
    template_name = "projects/proposal_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.leads = list(organisation_list_may_lead(user=request.user))
            if not self.leads:
                messages.error(
                    request,
                    _(
                        "Only the administrators of an active member organisation can start a "
                        "proposal. Register your organisation or ask its administrators."
                    ),
                )
                return redirect("projects:proposal_list")
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data=None):
        call = FundingCall.objects.published().filter(slug=self.request.GET.get("call")).first()
        return NewProposalForm(
            data,
            leads=Organisation.objects.filter(pk__in=[lead.pk for lead in self.leads]),
            initial={"call": call.pk} if call else None,
        )

    def get(self, request):
        return render(request, self.template_name, {"form": self._form(), "creating": True})

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            try:
                proposal = proposal_create(
                    lead=form.cleaned_data["lead"],
                    actor=request.user,
                    call=form.cleaned_data["call"],
                    centres=form.cleaned_data["centres"],
                    submission_key=form.cleaned_data["submission_key"],
                    **form.content(),
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("The draft of %(acronym)s is saved. Invite your partners next.")
                    % {"acronym": proposal.acronym},
                )
                return redirect(proposal)
        return render(request, self.template_name, {"form": form, "creating": True}, status=400)


class _ProposalMixin(LoginRequiredMixin):
    def get_proposal(self) -> ProjectProposal:
        return get_object_or_404(proposal_for_user(user=self.request.user, pk=self.kwargs["pk"]))


def _render_detail(request, proposal, *, status=200, **forms):
    user = request.user
    can_edit = rules.can_edit_proposal(user, proposal)
    partners = list(proposal.partners.all())
    for partnership in partners:
        partnership.can_answer = rules.can_answer_partnership(user, partnership)
    context = {
        "proposal": proposal,
        "partners": partners,
        "documents": list(proposal.documents.all()),
        "timeline": timeline_for_applicants(proposal=proposal),
        "can_edit": can_edit,
        "can_withdraw": rules.can_withdraw_proposal(user, proposal),
        "is_lead_admin": rules.is_lead_admin(user, proposal),
        "missing": proposal_missing_for_submission(proposal) if can_edit else [],
        "invite_form": forms.get("invite_form")
        or (PartnerInviteForm(proposal=proposal) if can_edit else None),
        "document_form": forms.get("document_form") or (DocumentForm() if can_edit else None),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
    }
    return render(request, "projects/proposal_detail.html", context, status=status)


class ProposalDetailView(_ProposalMixin, View):
    def get(self, request, pk):
        return _render_detail(request, self.get_proposal())


class ProposalEditView(_ProposalMixin, View):
    template_name = "projects/proposal_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.proposal = self.get_proposal()
        if not rules.can_edit_proposal(request.user, self.proposal):
            if not rules.is_lead_admin(request.user, self.proposal):
                raise PermissionDenied
            messages.error(request, _("The proposal cannot be changed in its current state."))
            return redirect(self.proposal)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        form = ProposalForm(instance=self.proposal)
        return render(request, self.template_name, {"form": form, "proposal": self.proposal})

    def post(self, request, pk):
        # A copy, so that a refused form shows what was typed, not a half-edited instance.
        form = ProposalForm(request.POST, instance=ProjectProposal.objects.get(pk=self.proposal.pk))
        if form.is_valid():
            try:
                proposal_update(
                    proposal=self.proposal,
                    actor=request.user,
                    centres=form.cleaned_data["centres"],
                    **form.content(),
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The proposal is saved."))
                return redirect(self.proposal)
        context = {"form": form, "proposal": self.proposal}
        return render(request, self.template_name, context, status=400)


class PartnerInviteView(_ProposalMixin, View):
    def post(self, request, pk):
        proposal = self.get_proposal()
        if not rules.is_lead_admin(request.user, proposal):
            raise PermissionDenied
        form = PartnerInviteForm(request.POST, proposal=proposal)
        if not form.is_valid():
            return _render_detail(request, proposal, invite_form=form, status=400)
        try:
            partnership = partner_invite(
                proposal=proposal,
                organisation=form.cleaned_data["organisation"],
                actor=request.user,
                role=form.cleaned_data["role"],
                budget_share=form.cleaned_data["budget_share"],
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(organisation)s is invited; its administrators confirm or decline.")
                % {"organisation": partnership.organisation.name},
            )
        return redirect(proposal)


class PartnerAnswerView(_ProposalMixin, View):
    def post(self, request, pk, partner_id):
        proposal = self.get_proposal()
        partnership = get_object_or_404(proposal.partners, pk=partner_id)
        answer = request.POST.get("answer")
        if answer not in {"confirm", "decline"}:
            messages.error(request, _("Choose to confirm or to decline."))
            return redirect(proposal)
        try:
            partner_respond(partnership=partnership, actor=request.user, accept=answer == "confirm")
        except DomainError as error:
            messages.error(request, str(error))
        else:
            if answer == "confirm":
                text = _("%(organisation)s takes part in %(acronym)s.")
            else:
                text = _("%(organisation)s declined to take part in %(acronym)s.")
            messages.success(
                request,
                text % {"organisation": partnership.organisation.name, "acronym": proposal.acronym},
            )
        if answer == "decline":
            # Declined partners no longer see the proposal.
            return redirect("projects:proposal_list")
        return redirect(proposal)


class PartnerRemoveView(_ProposalMixin, View):
    def post(self, request, pk, partner_id):
        proposal = self.get_proposal()
        partnership = get_object_or_404(proposal.partners, pk=partner_id)
        try:
            partner_remove(partnership=partnership, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(organisation)s is no longer a partner of the proposal.")
                % {"organisation": partnership.organisation.name},
            )
        return redirect(proposal)


class DocumentUploadView(_ProposalMixin, View):
    def post(self, request, pk):
        proposal = self.get_proposal()
        if not rules.is_lead_admin(request.user, proposal):
            raise PermissionDenied
        form = DocumentForm(request.POST, request.FILES)
        if not form.is_valid():
            return _render_detail(request, proposal, document_form=form, status=400)
        try:
            document = document_add(
                proposal=proposal,
                actor=request.user,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s is added.") % {"name": document.original_name})
        return redirect(proposal)


class DocumentDownloadView(LoginRequiredMixin, View):
    """A document, to the people of its proposal and to the cluster office only: anybody
    else, and any guessed address, gets a 404."""

    def get(self, request, pk, document_id):
        document = get_object_or_404(
            ProposalDocument.objects.select_related("proposal__lead"),
            pk=document_id,
            proposal_id=pk,
        )
        if not rules.can_read_documents(request.user, document.proposal):
            raise Http404
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class DocumentRemoveView(_ProposalMixin, View):
    def post(self, request, pk, document_id):
        proposal = self.get_proposal()
        document = get_object_or_404(proposal.documents, pk=document_id)
        try:
            document_remove(document=document, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s is removed.") % {"name": document.original_name})
        return redirect(proposal)


class ProposalSubmitView(_ProposalMixin, View):
    def post(self, request, pk):
        proposal = self.get_proposal()
        try:
            proposal_submit(proposal=proposal, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "%(acronym)s is submitted. The cluster office reviews it; you will get an "
                    "e-mail with the decision."
                )
                % {"acronym": proposal.acronym},
            )
        return redirect(proposal)


class ProposalWithdrawView(_ProposalMixin, View):
    def post(self, request, pk):
        proposal = self.get_proposal()
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            return _render_detail(request, proposal, withdraw_form=form, status=400)
        try:
            proposal_withdraw(
                proposal=proposal, actor=request.user, message=form.cleaned_data["message"]
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("%(acronym)s is withdrawn.") % {"acronym": proposal.acronym}
            )
        return redirect(proposal)
