"""The cluster office's side of projects: publishing calls, reviewing and deciding proposals.

Status is never edited by hand: every change is an action that goes through a service
(with its row lock, transition table, timeline line and letters), and a refusal — someone
decided first, a conflict of interest — becomes a message.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import display_for_value
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cluster_portal.core import roles
from cluster_portal.core.admin_decisions import DecisionActionsMixin, DecisionForm
from cluster_portal.core.admin_rows import NamedRowsTabularInline, QuickRowsMixin
from cluster_portal.core.admin_shown import ShownFieldsetsMixin
from cluster_portal.core.audit import audit_record
from cluster_portal.core.csv_export import csv_response
from cluster_portal.core.enums import AuditAction
from cluster_portal.core.errors import DomainError

from . import rules
from .enums import DECISIONS, SCORE_MAX, SCORE_MIN, ProposalStatus, Recommendation
from .models import (
    FundingCall,
    ProjectProposal,
    ProposalDocument,
    ProposalEvent,
    ProposalPartner,
    Review,
    ReviewCriterion,
    ReviewScore,
)
from .selectors import criteria_for
from .services import (
    call_publish,
    proposal_decide,
    proposal_release_letter,
    review_assign,
    review_assign_centre_coordinators,
    review_declare_conflict,
    review_submit,
)

# --- funding calls -------------------------------------------------------------------------


class CriterionInline(NamedRowsTabularInline):
    model = ReviewCriterion
    extra = 1
    fields = ["order", "name_pl", "name_en", "weight"]


@admin.register(FundingCall)
class FundingCallAdmin(admin.ModelAdmin):
    list_display = ["title_pl", "programme", "opens_at", "deadline", "is_published"]
    list_filter = ["is_published", "programme", "centres"]
    search_fields = ["title_pl", "title_en", "funder"]
    date_hierarchy = "deadline"
    prepopulated_fields = {"slug": ["title_pl"]}
    # Publishing tells the call's audience: it is the action below, never a checkbox.
    readonly_fields = ["is_published", "published_at"]
    inlines = [CriterionInline]
    actions = ["publish", "release_letters"]
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
    }
    fieldsets = [
        (None, {"fields": ["slug", "programme", "funder", "url", "centres"]}),
        (_("Polish"), {"fields": ["title_pl", "summary_pl", "description_pl"]}),
        (_("English"), {"fields": ["title_en", "summary_en", "description_en"]}),
        (_("Dates and budget"), {"fields": ["opens_at", "deadline", "budget", "currency"]}),
        (_("Publication"), {"fields": ["is_published", "published_at"]}),
    ]

    @admin.action(description=_("Publish and announce the selected calls"), permissions=["change"])
    def publish(self, request, queryset):
        published = notified = 0
        for call in queryset:
            if call.is_published:
                continue
            try:
                with transaction.atomic():
                    notified += call_publish(call=call, actor=request.user)
                    audit_record(
                        actor=request.user,
                        action=AuditAction.DECISION,
                        target=call,
                        detail="publish",
                    )
            except DomainError as error:
                self.message_user(request, str(error), messages.ERROR)
                continue
            published += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d call published; %(people)d people notified.",
                "%(count)d calls published; %(people)d people notified.",
                published,
            )
            % {"count": published, "people": notified},
            messages.SUCCESS if published else messages.WARNING,
        )

    @admin.action(
        description=_("Release the held decision letters of the selected calls"),
        permissions=["change"],
    )
    def release_letters(self, request, queryset):
        proposals = ProjectProposal.objects.filter(call__in=queryset)
        _release(self, request, proposals)


def _release(model_admin, request, proposals) -> None:
    letters = decisions = 0
    # The held decisions (ProjectProposal.decision_is_held): a proposal withdrawn after a
    # held decision has none left to release, and is not counted as released.
    held = proposals.filter(status__in=DECISIONS, decision_released_at__isnull=True)
    for proposal in held:
        with transaction.atomic():
            sent = proposal_release_letter(proposal=proposal, actor=request.user)
            audit_record(
                actor=request.user,
                action=AuditAction.DECISION,
                target=proposal,
                detail="release the decision letter",
            )
        decisions += 1
        letters += sent
    model_admin.message_user(
        request,
        ngettext(
            "%(count)d decision released: %(letters)d letters on their way.",
            "%(count)d decisions released: %(letters)d letters on their way.",
            decisions,
        )
        % {"count": decisions, "letters": letters},
        messages.SUCCESS if decisions else messages.WARNING,
    )


# --- proposals -----------------------------------------------------------------------------


class AverageScoreFilter(admin.SimpleListFilter):
    title = _("average score")
    parameter_name = "score"
    RANGES = {
        "4": (Decimal("4"), None),
        "3": (Decimal("3"), Decimal("4")),
        "2": (Decimal("2"), Decimal("3")),
        "1": (None, Decimal("2")),
    }

    def lookups(self, request, model_admin):
        return [
            ("4", _("4 or more")),
            ("3", _("3 to 4")),
            ("2", _("2 to 3")),
            ("1", _("below 2")),
            ("none", _("not reviewed yet")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(average_score__isnull=True)
        if value in self.RANGES:
            low, high = self.RANGES[value]
            if low is not None:
                queryset = queryset.filter(average_score__gte=low)
            if high is not None:
                queryset = queryset.filter(average_score__lt=high)
        return queryset


def _score_list(review) -> str:
    return (
        format_html_join(
            ", ",
            "{}: {}",
            ((score.criterion.name, score.score) for score in review.scores.all()),
        )
        or "—"
    )


def _review_state(review) -> str:
    if review.has_conflict:
        return gettext("Conflict of interest: %(reason)s") % {"reason": review.conflict_reason}
    return gettext("Submitted") if review.is_submitted else gettext("Waiting")


def _columns(model, *names) -> list[str]:
    return [capfirst(model._meta.get_field(name).verbose_name) for name in names]


def _cell(value) -> str:
    return display_for_value(value, "—")


def _labels(model, name: str) -> dict:
    """A field's choices by value, translated once: get_FOO_display hashes every lazy label
    of the field again for each row it is asked about."""
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def _row(cells) -> str:
    return format_html_join("", "<td>{}</td>", ((cell,) for cell in cells))


def proposal_related_tables(proposal: ProjectProposal) -> list[dict]:
    """What the change page shows under the proposal, read-only: its partners, documents,
    reviews and timeline, one query each whatever their number.

    Tables rather than inlines: nothing here is edited in the admin, and four inline
    formsets (forms, management forms, hidden inputs posted back for nothing) cost more
    than half of the page's rendering (bench/review.py).
    """
    # Each query reads the columns shown (and a person's name, not the whole account), and
    # the proposal's key, which Django reads to attach each row to the proposal.
    named = get_user_model().NAME_FIELDS
    partners = (
        proposal.partners.select_related("organisation")
        .only("proposal", "role", "budget_share", "status", "responded_at", "organisation__name")
        .order_by("organisation__name")
    )
    documents = proposal.documents.order_by("uploaded_at", "pk")
    scores = (
        ReviewScore.objects.select_related("criterion")
        .only("review", "score", "criterion__name_pl", "criterion__name_en")
        .order_by("criterion__order")
    )
    reviews = (
        proposal.reviews.select_related("reviewer")
        .only(
            "proposal",
            "recommendation",
            "weighted_score",
            "comment_for_coordinators",
            "comment_for_applicants",
            "submitted_at",
            "conflict_declared_at",
            "conflict_reason",
            *(f"reviewer__{name}" for name in named),
        )
        .prefetch_related(Prefetch("scores", queryset=scores))
        .order_by("assigned_at", "pk")
    )
    timeline = (
        proposal.timeline.select_related("actor")
        .only(
            "proposal",
            "created_at",
            "kind",
            "to_status",
            "message",
            "shown_from",
            *(f"actor__{name}" for name in named),
        )
        .order_by("created_at", "pk")
    )
    roles, partner_states = _labels(ProposalPartner, "role"), _labels(ProposalPartner, "status")
    kinds = _labels(ProposalDocument, "kind")
    recommendations = _labels(Review, "recommendation")
    events, statuses = _labels(ProposalEvent, "kind"), _labels(ProposalEvent, "to_status")
    return [
        {
            "id": "partners",
            "title": ProposalPartner._meta.verbose_name_plural,
            "columns": _columns(
                ProposalPartner, "organisation", "role", "budget_share", "status", "responded_at"
            ),
            "rows": [
                _row(
                    [
                        partner.organisation.name,
                        roles.get(partner.role, partner.role),
                        _cell(partner.budget_share),
                        partner_states.get(partner.status, partner.status),
                        _cell(partner.responded_at),
                    ]
                )
                for partner in partners
            ],
        },
        {
            "id": "documents",
            "title": ProposalDocument._meta.verbose_name_plural,
            "columns": _columns(ProposalDocument, "file", "kind", "size", "uploaded_at"),
            "rows": [
                _row(
                    [
                        format_html(
                            '<a href="{}">{}</a>',
                            document.get_absolute_url(),
                            document.original_name,
                        ),
                        kinds.get(document.kind, document.kind),
                        filesizeformat(document.size),
                        _cell(document.uploaded_at),
                    ]
                )
                for document in documents
            ],
        },
        {
            "id": "reviews",
            "title": Review._meta.verbose_name_plural,
            "columns": [
                *_columns(Review, "reviewer", "recommendation", "weighted_score"),
                capfirst(gettext("scores")),
                *_columns(Review, "comment_for_coordinators", "comment_for_applicants"),
                capfirst(gettext("state")),
            ],
            "rows": [
                _row(
                    [
                        format_html(
                            '<a href="{}">{}</a>',
                            reverse("admin:projects_review_change", args=[review.pk]),
                            review.reviewer,
                        ),
                        recommendations.get(review.recommendation, review.recommendation) or "—",
                        _cell(review.weighted_score),
                        _score_list(review),
                        review.comment_for_coordinators or "—",
                        review.comment_for_applicants or "—",
                        _review_state(review),
                    ]
                )
                for review in reviews
            ],
        },
        {
            "id": "timeline",
            "title": _("timeline (what the applicants see once it is shown)"),
            "columns": _columns(
                ProposalEvent, "created_at", "kind", "to_status", "actor", "message", "shown_from"
            ),
            "rows": [
                _row(
                    [
                        _cell(entry.created_at),
                        events.get(entry.kind, entry.kind),
                        statuses.get(entry.to_status, entry.to_status) or "—",
                        entry.actor or "—",
                        entry.message or "—",
                        _cell(entry.shown_from),
                    ]
                )
                for entry in timeline
            ],
        },
    ]


class ProposalDecisionForm(DecisionForm):
    hold_letter = forms.BooleanField(
        label=_("Hold the letter"),
        required=False,
        help_text=_(
            "Decide quietly: the applicants see the decision and get the letter when you "
            "release the letters (of the call, or of these proposals)."
        ),
    )


class AssignReviewersForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Reviewers"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = roles.cluster_coordinators().order_by(
            "full_name", "email"
        )


@admin.register(ProjectProposal)
class ProjectProposalAdmin(
    QuickRowsMixin, ShownFieldsetsMixin, DecisionActionsMixin, admin.ModelAdmin
):
    list_display = [
        "acronym",
        "title",
        "lead",
        "call",
        "status",
        "average",
        "review_count",
        "submitted_at",
    ]
    list_filter = ["status", "call", "centres", AverageScoreFilter]
    search_fields = ["title", "acronym", "lead__name", "partners__organisation__name"]
    list_select_related = ["lead", "call"]
    # A call gathers hundreds of proposals; the page's cost grows with its rows: 25 keep a
    # page quick to serve.
    list_per_page = 25
    # "(2,000 total)" next to the filtered count costs a COUNT(*) of every proposal on each
    # page; the filtered count is the one a coordinator works with.
    show_full_result_count = False
    sortable_by = ["acronym", "title", "status", "average", "review_count", "submitted_at"]
    # No date_hierarchy: coordinators work by status, call, centre and score, and the date
    # drill-down costs a query and its rendering on every page.
    change_form_template = "admin/projects/projectproposal/change_form.html"
    actions = [
        "start_review",
        "request_changes",
        "accept",
        "reject",
        "assign_reviewers",
        "assign_centre_coordinators",
        "release_letters",
        "export_csv",
    ]
    fieldsets = [
        (None, {"fields": ["acronym", "title", "lead", "call", "centres", "status"]}),
        (
            _("Proposal"),
            {"fields": ["summary", "objectives", "expected_impact", "keywords", "trl"]},
        ),
        (_("Budget"), {"fields": ["requested_budget", "currency", "duration_months"]}),
        (
            _("Review"),
            {
                "fields": [
                    "average_score",
                    "review_count",
                    "decided_at",
                    "decision_message",
                    "decision_released_at",
                ]
            },
        ),
        (_("History"), {"fields": ["created_by", "created_at", "submitted_at", "updated_at"]}),
    ]

    @admin.display(
        description=_("average score"),
        # Not reviewed yet sorts as the lowest score: best first puts those proposals last,
        # where a plain descending sort would put them first (NULLs first in PostgreSQL).
        ordering=Coalesce("average_score", Value(Decimal(0))),
    )
    def average(self, proposal):
        return proposal.average_score

    # What the list's rows show (list_display, each row's name for its checkbox): a page
    # reads these columns, not every column of three tables (a proposal's texts, the lead's
    # search vector), which PostgreSQL would sort and Python decode for each row.
    list_columns = [
        "acronym",
        "title",
        "status",
        "average_score",
        "review_count",
        "submitted_at",
        "lead__name",
        "call__title_pl",
        "call__title_en",
    ]

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # The paginator gives the list its rows (the actions are given whole proposals); it
        # pages the history's log entries too, which keep their columns.
        if queryset.model is self.model:
            queryset = queryset.only(*self.list_columns)
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)

    def action_checkbox(self, obj):
        # The markup of Django's own box, written directly: Django draws it through the form
        # widget templates, a fifth of the list's rendering at 50 rows (bench/review.py).
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), obj),
        )

    def get_object(self, request, object_id, from_field=None):
        # The page shows the lead and the call: with the proposal, not one query each.
        if from_field is not None:
            return super().get_object(request, object_id, from_field)
        queryset = self.get_queryset(request).select_related("lead", "call")
        try:  # as Django's own get_object: a malformed id is "no such proposal"
            return queryset.get(pk=self.model._meta.pk.to_python(object_id))
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["related_tables"] = proposal_related_tables(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The actions need "change" and decide; a proposal's own page only shows it. What
        # the applicants wrote is theirs, and a saved form would write the whole row back as
        # the request read it, undoing a decision made meanwhile: no Save, a POST is a 403.
        return obj is None and super().has_change_permission(request)

    # --- decisions ---

    def _decide(self, request, queryset, *, to: str, message_required: bool):
        status = ProposalStatus(to)
        return self.decide(
            request,
            queryset.select_related("lead"),
            decide_one=lambda proposal, data: proposal_decide(
                proposal=proposal,
                actor=request.user,
                to=status,
                message=data["message"],
                seen_status=request.POST.get(f"seen-{proposal.pk}") or None,
                hold_letter=data.get("hold_letter", False),
            ),
            action=self._action_name(status),
            title=str(status.label),
            message_required=message_required,
            form_class=DecisionForm if status == ProposalStatus.IN_REVIEW else ProposalDecisionForm,
            done_message=lambda done: (
                ngettext(
                    "%(title)s: done for %(count)d proposal.",
                    "%(title)s: done for %(count)d proposals.",
                    done,
                )
                % {"title": status.label, "count": done}
            ),
        )

    @staticmethod
    def _action_name(status) -> str:
        return {
            ProposalStatus.IN_REVIEW: "start_review",
            ProposalStatus.CHANGES_REQUESTED: "request_changes",
            ProposalStatus.ACCEPTED: "accept",
            ProposalStatus.REJECTED: "reject",
        }[status]

    @admin.action(
        description=_("Start the review of the selected proposals"), permissions=["change"]
    )
    def start_review(self, request, queryset):
        return self._decide(request, queryset, to=ProposalStatus.IN_REVIEW, message_required=False)

    @admin.action(
        description=_("Request changes to the selected proposals"), permissions=["change"]
    )
    def request_changes(self, request, queryset):
        return self._decide(
            request, queryset, to=ProposalStatus.CHANGES_REQUESTED, message_required=True
        )

    @admin.action(description=_("Accept the selected proposals"), permissions=["change"])
    def accept(self, request, queryset):
        return self._decide(request, queryset, to=ProposalStatus.ACCEPTED, message_required=False)

    @admin.action(description=_("Reject the selected proposals"), permissions=["change"])
    def reject(self, request, queryset):
        return self._decide(request, queryset, to=ProposalStatus.REJECTED, message_required=True)

    @admin.action(description=_("Release the held decision letters"), permissions=["change"])
    def release_letters(self, request, queryset):
        _release(self, request, queryset)

    # --- reviewers ---

    @admin.action(
        description=_("Assign reviewers to the selected proposals"), permissions=["change"]
    )
    def assign_reviewers(self, request, queryset):
        form = AssignReviewersForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            made = 0
            for proposal in queryset:
                for reviewer in form.cleaned_data["reviewers"]:
                    try:
                        review_assign(proposal=proposal, reviewer=reviewer, actor=request.user)
                    except DomainError as error:
                        self.message_user(request, str(error), messages.WARNING)
                    else:
                        made += 1
            self._assigned(request, made)
            return None
        opts = self.model._meta
        return TemplateResponse(
            request,
            "admin/projects/projectproposal/assign_reviewers.html",
            {
                **self.admin_site.each_context(request),
                "opts": opts,
                "title": gettext("Assign reviewers"),
                "objects": list(queryset.select_related("lead")),
                "form": form,
            },
        )

    @admin.action(
        description=_("Assign the coordinators of their competence centres as reviewers"),
        permissions=["change"],
    )
    def assign_centre_coordinators(self, request, queryset):
        made = 0
        for proposal in queryset:
            reviews, refused = review_assign_centre_coordinators(
                proposal=proposal, actor=request.user
            )
            made += len(reviews)
            for reason in refused:
                self.message_user(request, reason, messages.WARNING)
        self._assigned(request, made)

    def _assigned(self, request, made: int) -> None:
        self.message_user(
            request,
            ngettext("%(count)d review assigned.", "%(count)d reviews assigned.", made)
            % {"count": made},
            messages.SUCCESS if made else messages.WARNING,
        )

    # --- export ---

    @admin.action(description=_("Export the selected proposals as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        proposals = queryset.select_related("lead", "call").prefetch_related(
            Prefetch(
                "partners",
                queryset=ProposalPartner.objects.select_related("organisation").order_by(
                    "organisation__name"
                ),
            )
        )
        audit_record(
            actor=request.user,
            action=AuditAction.ADMIN_EXPORT,
            target=ProjectProposal,
            detail=f"csv: {queryset.count()} rows",
        )
        return csv_response(
            filename="proposals",
            header=[
                gettext("Acronym"),
                gettext("Title"),
                gettext("Lead organisation"),
                gettext("Partners"),
                gettext("Funding call"),
                gettext("Requested budget"),
                gettext("Currency"),
                gettext("Status"),
                gettext("Average score"),
                gettext("Reviews"),
            ],
            rows=(
                [
                    proposal.acronym,
                    proposal.title,
                    proposal.lead.name,
                    "; ".join(
                        f"{partner.organisation.name} ({partner.get_status_display()})"
                        for partner in proposal.partners.all()
                    ),
                    proposal.call.title if proposal.call else "",
                    proposal.requested_budget if proposal.requested_budget is not None else "",
                    proposal.currency,
                    proposal.get_status_display(),
                    proposal.average_score if proposal.average_score is not None else "",
                    proposal.review_count,
                ]
                for proposal in proposals.order_by("acronym", "pk")
            ),
        )


# --- reviews -------------------------------------------------------------------------------


class ReviewForm(forms.ModelForm):
    """A reviewer's review: one score per criterion of the proposal's call, and the rest."""

    declare_conflict = forms.BooleanField(
        label=_("I have a conflict of interest"),
        required=False,
        help_text=_("Tick it, and say why below, to step back: your review will not count."),
    )
    conflict_note = forms.CharField(label=_("Why"), required=False, max_length=500)

    class Meta:
        model = Review
        fields = ["recommendation", "comment_for_coordinators", "comment_for_applicants"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        review = self.instance
        self.criteria = criteria_for(proposal=review.proposal) if review.pk else []
        given = (
            {score.criterion_id: score.score for score in review.scores.all()} if review.pk else {}
        )
        choices = [(value, str(value)) for value in range(SCORE_MIN, SCORE_MAX + 1)]
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=gettext("%(criterion)s (weight %(weight)d)")
                % {"criterion": criterion.name, "weight": criterion.weight},
                choices=choices,
                coerce=int,
                required=False,
                initial=given.get(criterion.pk),
                widget=forms.RadioSelect,
            )
        if "recommendation" in self.fields:  # absent when the page is only read
            self.fields["recommendation"].required = False
            self.fields["recommendation"].choices = [("", "—"), *Recommendation.choices]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("declare_conflict"):
            return cleaned
        for criterion in self.criteria:
            if cleaned.get(f"score_{criterion.pk}") in (None, ""):
                self.add_error(f"score_{criterion.pk}", gettext("Give a score from 1 to 5."))
        if not cleaned.get("recommendation"):
            self.add_error("recommendation", gettext("Choose a recommendation."))
        return cleaned

    @property
    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


class MineFilter(admin.SimpleListFilter):
    title = _("reviewer")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("My reviews"))]

    def queryset(self, request, queryset):
        return queryset.filter(reviewer=request.user) if self.value() == "1" else queryset


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    form = ReviewForm
    list_display = ["proposal", "reviewer", "recommendation", "weighted_score", "submitted_at"]
    list_filter = [MineFilter, "recommendation", "proposal__call"]
    search_fields = ["proposal__title", "proposal__acronym", "reviewer__email"]
    list_select_related = ["proposal", "reviewer"]
    readonly_fields = ["proposal_link", "reviewer", "weighted_score", "submitted_at", "score_list"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("scores__criterion")

    @admin.display(description=_("scores"))
    def score_list(self, review):
        return _score_list(review)

    def get_fieldsets(self, request, obj=None):
        if not self.has_change_permission(request, obj):
            return [
                (None, {"fields": ["proposal_link", "reviewer", "submitted_at"]}),
                (
                    _("Review"),
                    {
                        "fields": [
                            "score_list",
                            "weighted_score",
                            "recommendation",
                            "comment_for_coordinators",
                            "comment_for_applicants",
                            "conflict_reason",
                        ]
                    },
                ),
            ]
        scores = [f"score_{criterion.pk}" for criterion in criteria_for(proposal=obj.proposal)]
        return [
            (None, {"fields": ["proposal_link", "reviewer", "weighted_score", "submitted_at"]}),
            (_("Scores (1 = poor, 5 = excellent)"), {"fields": scores}),
            (
                _("Opinion"),
                {
                    "fields": [
                        "recommendation",
                        "comment_for_coordinators",
                        "comment_for_applicants",
                    ]
                },
            ),
            (_("Conflict of interest"), {"fields": ["declare_conflict", "conflict_note"]}),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = ["recommendation", "comment_for_coordinators", "comment_for_applicants"]
        return super().get_form(request, obj, change, **kwargs)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Everyone in the office may read reviews. Only their author writes one, and only
        # while it counts: after a conflict is declared, or once the proposal is decided, it
        # is shown read-only rather than as a form whose text would be refused on saving.
        if obj is not None and not rules.can_write_review(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("proposal"))
    def proposal_link(self, review):
        url = reverse("admin:projects_projectproposal_change", args=[review.proposal_id])
        return format_html('<a href="{}">{}</a>', url, review.proposal)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if data.get("declare_conflict"):
            review_declare_conflict(review=obj, actor=request.user, reason=data["conflict_note"])
            return
        review_submit(
            review=obj,
            actor=request.user,
            scores=form.scores,
            recommendation=data["recommendation"],
            comment_for_coordinators=data["comment_for_coordinators"],
            comment_for_applicants=data["comment_for_applicants"],
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            # The service refused (reviews closed, a conflict declared): nothing was saved.
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def save_related(self, request, form, formsets, change):
        pass  # the service saved what belongs to the review
