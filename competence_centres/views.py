"""Centre pages: the public list and page, joining and leaving, and the coordinators' page.

Views stay thin: the rules say who may look, the services change state (POST only), and a
DomainError becomes a message on the page the user came from, never a 500.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from cluster_portal.core.audit import audit_record
from cluster_portal.core.csv_export import csv_response
from cluster_portal.core.enums import AuditAction
from cluster_portal.core.errors import DomainError
from cluster_portal.core.second_factor import has_second_factor, redirect_to_second_factor_setup

from . import rules
from .enums import ParticipationStatus
from .forms import ParticipationDecisionForm, ParticipationRequestForm
from .models import CentreParticipation, CompetenceCentre
from .selectors import (
    centre_calls_open,
    centre_detail_public,
    centre_events_upcoming,
    centre_list_public,
    organisation_list_for_joining,
    participation_list_decided,
    participation_list_pending,
    participation_list_with_contacts,
)
from .services import participation_decide, participation_leave, participation_request


class CentreListView(ListView):
    template_name = "competence_centres/centre_list.html"
    context_object_name = "centres"

    def get_queryset(self):
        return centre_list_public()


def _request_form(user, organisations) -> ParticipationRequestForm | None:
    """The join form offers the organisations that can ask now, if any."""
    joinable = [
        organisation
        for organisation in organisations
        if rules.can_request_participation(user, organisation)
        and organisation.open_participation is None
    ]
    return ParticipationRequestForm(organisations=joinable) if joinable else None


def _render_centre(request, centre: CompetenceCentre, *, form=None, status=200):
    organisations = organisation_list_for_joining(user=request.user, centre=centre)
    return render(
        request,
        "competence_centres/centre_detail.html",
        {
            "centre": centre,
            "events": centre_events_upcoming(centre=centre),
            "calls": centre_calls_open(centre=centre),
            "own_organisations": organisations,
            # Organisations with something to report here; the form covers the others.
            "standings": [
                organisation
                for organisation in organisations
                if not organisation.is_active_member or organisation.last_participation
            ],
            "request_form": form or _request_form(request.user, organisations),
            "can_coordinate": rules.can_coordinate_centre(request.user, centre),
            "participation_statuses": ParticipationStatus,
        },
        status=status,
    )


class CentreDetailView(View):
    """What the centre does, who leads it, who takes part, what is coming up; for the
    administrators of member organisations, where they stand and a way to join."""

    def get(self, request, slug):
        return _render_centre(request, get_object_or_404(centre_detail_public(slug=slug)))


class ParticipationRequestView(LoginRequiredMixin, View):
    def post(self, request, slug):
        centre = get_object_or_404(CompetenceCentre.objects.active(), slug=slug)
        organisations = organisation_list_for_joining(user=request.user, centre=centre)
        if not organisations:
            messages.error(
                request,
                _("Only the administrators of a member organisation can ask to join %(centre)s.")
                % {"centre": centre.name},
            )
            return redirect(centre)
        # Any of the user's organisations, not only those the page offered: a form from a
        # stale tab then gets the service's precise answer ("already asked on ...").
        form = ParticipationRequestForm(request.POST, organisations=organisations)
        if not form.is_valid():
            # Back to the page with the errors and the motivation as typed.
            centre = centre_detail_public(slug=slug).get()
            return _render_centre(request, centre, form=form, status=400)
        organisation = form.cleaned_data["organisation"]
        try:
            participation_request(
                organisation=organisation,
                centre=centre,
                actor=request.user,
                motivation=form.cleaned_data["motivation"],
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "The request of %(organisation)s is with the coordinators of %(centre)s. "
                    "You will get an e-mail when they decide."
                )
                % {"organisation": organisation.name, "centre": centre.name},
            )
        return redirect(centre)


class ParticipationLeaveView(LoginRequiredMixin, View):
    def post(self, request, slug, participation_id):
        # Only the organisation's own people learn that this participation exists: for
        # anyone else it is a 404, as an id that does not exist.
        participation = get_object_or_404(
            CentreParticipation.objects.select_related("organisation", "centre").filter(
                organisation__memberships__user=request.user
            ),
            pk=participation_id,
            centre__slug=slug,
        )
        try:
            participation_leave(participation=participation, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(organisation)s no longer takes part in %(centre)s.")
                % {
                    "organisation": participation.organisation.name,
                    "centre": participation.centre.name,
                },
            )
        return redirect(participation.centre)


class _CoordinationMixin(LoginRequiredMixin):
    """The centre, for its coordinators and the cluster office; 403 for anyone else. They
    see members' private contacts and decide for the cluster, so a second factor is asked
    of them (after the 403, so that nobody else is asked to set one up)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.centre = self.get_centre()
            if not has_second_factor(request.user):
                return redirect_to_second_factor_setup(request)
        return super().dispatch(request, *args, **kwargs)

    def get_centre(self) -> CompetenceCentre:
        centre = get_object_or_404(
            CompetenceCentre.objects.prefetch_related("coordinators"), slug=self.kwargs["slug"]
        )
        if not rules.can_coordinate_centre(self.request.user, centre):
            raise PermissionDenied
        return centre


def _render_coordination(request, centre, *, failed_form=None, failed_id=None, status=200):
    pending = list(participation_list_pending(centre=centre))
    for participation in pending:
        if participation.pk == failed_id:
            participation.form = failed_form
        else:
            participation.form = ParticipationDecisionForm(prefix=f"p{participation.pk}")
    return render(
        request,
        "competence_centres/coordination.html",
        {
            "centre": centre,
            "pending": pending,
            "participants": participation_list_with_contacts(centre=centre),
            "decided": participation_list_decided(centre=centre),
        },
        status=status,
    )


class CentreCoordinationView(_CoordinationMixin, View):
    """Pending requests to decide, and the participating organisations with contacts."""

    def get(self, request, slug):
        audit_record(actor=request.user, action=AuditAction.CONTACTS_VIEWED, target=self.centre)
        return _render_coordination(request, self.centre)


class ParticipationDecideView(_CoordinationMixin, View):
    def post(self, request, slug, participation_id):
        centre = self.centre
        participation = get_object_or_404(
            CentreParticipation.objects.select_related("organisation"),
            pk=participation_id,
            centre=centre,
        )
        form = ParticipationDecisionForm(request.POST, prefix=f"p{participation.pk}")
        if not form.is_valid():
            if participation.status == ParticipationStatus.REQUESTED:
                return _render_coordination(
                    request, centre, failed_form=form, failed_id=participation.pk, status=400
                )
            messages.error(
                request,
                _(
                    "The request of %(organisation)s was decided meanwhile: see the latest "
                    "decisions below."
                )
                % {"organisation": participation.organisation.name},
            )
            return redirect("competence_centres:coordination", slug=centre.slug)
        try:
            participation = participation_decide(
                participation=participation,
                actor=request.user,
                accept=form.accept,
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            if participation.status == ParticipationStatus.ACTIVE:
                text = _("%(organisation)s now takes part in %(centre)s.")
            else:
                text = _("You declined the request of %(organisation)s.")
            messages.success(
                request,
                text % {"organisation": participation.organisation.name, "centre": centre.name},
            )
        return redirect("competence_centres:coordination", slug=centre.slug)


class CentreContactsCsvView(_CoordinationMixin, View):
    """The participating organisations' contacts as a spreadsheet, for the coordinators."""

    def get(self, request, slug):
        centre = self.centre
        audit_record(
            actor=request.user, action=AuditAction.CONTACTS_EXPORTED, target=centre, detail="csv"
        )
        return csv_response(
            filename=f"centre-{centre.slug}-contacts",
            header=[
                _("Organisation"),
                _("Kind"),
                _("City"),
                _("Contact person"),
                _("E-mail"),
                _("Phone"),
                _("Website"),
                _("Member of the centre since"),
            ],
            rows=(
                (
                    participation.organisation.name,
                    participation.organisation.get_kind_display(),
                    participation.organisation.city,
                    participation.organisation.contact_name,
                    participation.organisation.contact_email,
                    participation.organisation.contact_phone,
                    participation.organisation.website,
                    timezone.localdate(participation.decided_at).isoformat()
                    if participation.decided_at
                    else "",
                )
                for participation in participation_list_with_contacts(centre=centre)
            ),
        )
