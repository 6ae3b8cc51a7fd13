"""Funding calls for everyone: the list (open, upcoming, closed), a call's page, Atom feeds."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from competence_centres.models import CompetenceCentre

from ..enums import CallPhase
from ..forms import CallFilterForm
from ..models import FundingCall
from ..selectors import call_detail_public, call_list_public, proposal_list_for_user

PHASES = [CallPhase.OPEN, CallPhase.UPCOMING, CallPhase.CLOSED]


class ProjectsIndexView(TemplateView):
    """How joint projects work in the cluster, the calls open now, and the visitor's own
    proposals when they have some."""

    template_name = "projects/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["open_calls"] = call_list_public(phase=CallPhase.OPEN)[:6]
        context["my_proposals"] = proposal_list_for_user(user=self.request.user)[:5]
        return context


class CallListView(ListView):
    template_name = "projects/call_list.html"
    context_object_name = "calls"
    paginate_by = 12

    def get_queryset(self):
        phase = self.request.GET.get("phase", "")
        self.phase = phase if phase in CallPhase.values else CallPhase.OPEN
        self.filters = CallFilterForm(self.request.GET)
        return call_list_public(
            phase=self.phase,
            centre=self.filters.value("centre"),
            programme=self.filters.value("programme"),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            phase=self.phase, phases=PHASES, filters=self.filters, **kwargs
        )


class CallDetailView(DetailView):
    template_name = "projects/call_detail.html"
    context_object_name = "call"

    def get_object(self, queryset=None):
        return get_object_or_404(call_detail_public(slug=self.kwargs["slug"]))

    def get_context_data(self, **kwargs):
        call = self.object
        criteria = list(call.criteria.all())
        phase = call.phase()
        return super().get_context_data(
            phase=phase,
            is_open=phase == CallPhase.OPEN,
            criteria=criteria,
            now=timezone.now(),
            **kwargs,
        )


class CallFeed(Feed):
    """An Atom feed of the published calls, newest first; per centre when given one."""

    feed_type = Atom1Feed
    limit = 50

    def get_object(self, request, centre=None):
        if centre is None:
            return None
        return get_object_or_404(CompetenceCentre.objects.active(), slug=centre)

    def title(self, centre):
        if centre is None:
            return _("Funding calls")
        return _("Funding calls: %(centre)s") % {"centre": centre.name}

    def link(self, centre):
        url = reverse("projects:call_list")
        return f"{url}?centre={centre.slug}" if centre else url

    def subtitle(self, centre):
        return _("National and EU funding calls published by the cluster office.")

    def items(self, centre):
        calls = FundingCall.objects.published().order_by("-published_at", "-pk")
        if centre is not None:
            calls = calls.filter(centres=centre)
        return calls[: self.limit]

    def item_title(self, call):
        return call.title

    def item_description(self, call):
        deadline = timezone.localtime(call.deadline).strftime("%Y-%m-%d %H:%M")
        text = call.summary or call.description[:400]
        return (
            f"{call.get_programme_display()} · {call.funder} · {_('Deadline')}: {deadline}. {text}"
        )

    def item_pubdate(self, call):
        return call.published_at or call.created_at

    def item_updateddate(self, call):
        return call.updated_at
