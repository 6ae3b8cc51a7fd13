from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cluster_portal.core.translation import TranslatedField

from .enums import (
    DECISIONS,
    EDITABLE_STATUSES,
    SCORE_MAX,
    SCORE_MIN,
    CallPhase,
    Currency,
    DocumentKind,
    PartnerRole,
    PartnerStatus,
    Programme,
    ProposalStatus,
    Recommendation,
    TimelineKind,
)


class FundingCallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def in_phase(self, phase: str, *, now=None):
        now = now or timezone.now()
        if phase == CallPhase.UPCOMING:
            return self.filter(opens_at__gt=now).order_by("opens_at", "pk")
        if phase == CallPhase.CLOSED:
            return self.filter(deadline__lte=now).order_by("-deadline", "pk")
        return self.filter(opens_at__lte=now, deadline__gt=now).order_by("deadline", "pk")


class FundingCall(models.Model):
    """A national or EU call for proposals that the cluster office publishes for members."""

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title_pl = models.CharField(_("title (Polish)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    summary_pl = models.CharField(_("summary (Polish)"), max_length=400, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=400, blank=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    programme = models.CharField(_("programme"), max_length=32, choices=Programme.choices)
    funder = models.CharField(
        _("funder"), max_length=200, help_text=_("The agency that runs the call, e.g. NCBR.")
    )
    url = models.URLField(_("call's page"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    deadline = models.DateTimeField(_("deadline"))
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The call's total budget, if the funder gives one."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.PLN
    )
    centres = models.ManyToManyField(
        "competence_centres.CompetenceCentre",
        verbose_name=_("competence centres"),
        blank=True,
        related_name="funding_calls",
        help_text=_("Members of these centres are told about the call; none means everyone."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FundingCallQuerySet.as_manager()

    title = TranslatedField("title")
    summary = TranslatedField("summary")
    description = TranslatedField("description")

    class Meta:
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")
        ordering = ["deadline"]
        indexes = [
            models.Index(fields=["is_published", "deadline"], name="projects_call_deadline"),
            models.Index(fields=["is_published", "opens_at"], name="projects_call_opens"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("opens_at")),
                name="projects_call_deadline_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(programme__in=Programme.values), name="projects_call_programme_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:call_detail", kwargs={"slug": self.slug})

    def phase(self, *, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return CallPhase.UPCOMING
        if now >= self.deadline:
            return CallPhase.CLOSED
        return CallPhase.OPEN

    @property
    def is_open(self) -> bool:
        return self.phase() == CallPhase.OPEN


class ReviewCriterion(models.Model):
    """What reviewers score (1 to 5), with the weight it has in the average. Criteria with
    no call are the cluster's default ones, for calls without their own and proposals made
    outside any call."""

    call = models.ForeignKey(
        FundingCall,
        verbose_name=_("funding call"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="criteria",
    )
    name_pl = models.CharField(_("name (Polish)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = TranslatedField("name")

    class Meta:
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        ordering = ["call", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=10), name="projects_criterion_weight_range"
            ),
        ]

    def __str__(self):
        return f"{self.name} (×{self.weight})"


def _private_storage():
    return storages["private"]


def proposal_document_path(instance, filename: str) -> str:
    # The name is random (services.document_add); the proposal's id keeps a folder per
    # proposal for whoever backs the files up.
    return f"proposals/{instance.proposal_id}/{filename}"


class ProjectProposal(models.Model):
    """A joint innovative project that a member organisation leads with partners."""

    call = models.ForeignKey(
        FundingCall,
        verbose_name=_("funding call"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    lead = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="led_proposals",
    )
    title = models.CharField(_("title"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=30)
    summary = models.TextField(_("summary"), max_length=3000)
    objectives = models.TextField(_("objectives"), max_length=6000, blank=True)
    expected_impact = models.TextField(_("expected impact"), max_length=6000, blank=True)
    centres = models.ManyToManyField(
        "competence_centres.CompetenceCentre",
        verbose_name=_("competence centres"),
        blank=True,
        related_name="proposals",
    )
    requested_budget = models.DecimalField(
        _("requested budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.PLN
    )
    duration_months = models.PositiveSmallIntegerField(
        _("duration in months"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level (TRL)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("From 1 (basic principles observed) to 9 (proven in operation)."),
    )
    keywords = models.CharField(
        _("keywords"), max_length=300, blank=True, help_text=_("Comma-separated.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_message = models.TextField(_("message to the applicants"), blank=True)
    # Set when the decision letter went out: until then applicants see "in review".
    decision_released_at = models.DateTimeField(_("decision released at"), null=True, blank=True)
    # The weighted average of the submitted reviews, kept by services.review_submit so
    # that the admin filters and sorts by it without aggregating on every page.
    average_score = models.DecimalField(
        _("average score"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    review_count = models.PositiveSmallIntegerField(_("reviews"), default=0)
    # The key of the page the draft was started from (core.forms.SubmissionKeyField): the
    # same "Create" sent twice makes one draft.
    submission_key = models.UUIDField(_("submission key"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("project proposal")
        verbose_name_plural = _("project proposals")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["call", "status"], name="projects_proposal_call_status"),
            models.Index(fields=["status", "average_score"], name="projects_proposal_score"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="projects_proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(trl__isnull=True) | Q(trl__gte=1, trl__lte=9),
                name="projects_proposal_trl_range",
            ),
            models.UniqueConstraint(
                fields=["created_by", "submission_key"],
                name="projects_proposal_submission_once",
            ),
        ]

    def __str__(self):
        return f"{self.acronym} — {self.title}"

    def get_absolute_url(self):
        return reverse("projects:proposal_detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        # A request for changes whose letter is held is still "in review" to the applicants:
        # opening the proposal to them would tell them before the letter does.
        return self.status_for_applicants in EDITABLE_STATUSES

    @property
    def decision_is_held(self) -> bool:
        return self.status in DECISIONS and self.decision_released_at is None

    @property
    def status_for_applicants(self) -> str:
        """What the lead and the partners see: a decision only once its letter is out."""
        return ProposalStatus.IN_REVIEW if self.decision_is_held else self.status

    def get_status_for_applicants_display(self) -> str:
        return ProposalStatus(self.status_for_applicants).label

    @property
    def decision_message_for_applicants(self) -> str:
        """The coordinators' message with the decision, once its letter is out; a message of
        an earlier decision (changes requested, then resubmitted) is not the current one."""
        if self.status in DECISIONS and self.decision_released_at is not None:
            return self.decision_message
        return ""

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class ProposalPartner(models.Model):
    """An organisation invited into a proposal by its lead; it confirms or declines."""

    proposal = models.ForeignKey(
        ProjectProposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="partners",
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="proposal_partnerships",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )
    budget_share = models.DecimalField(
        _("share of the budget (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PartnerStatus.choices, default=PartnerStatus.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal partner")
        verbose_name_plural = _("proposal partners")
        ordering = ["proposal", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"], name="projects_partner_once_per_proposal"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} in {self.proposal.acronym} ({self.get_status_display()})"


class ProposalDocument(models.Model):
    """A file of a proposal, kept outside the public media and served only to the people
    of the proposal and to coordinators (views.ProposalDocumentView)."""

    proposal = models.ForeignKey(
        ProjectProposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(
        _("file"), storage=_private_storage, upload_to=proposal_document_path, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal document")
        verbose_name_plural = _("proposal documents")
        ordering = ["proposal", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse(
            "projects:document_download", kwargs={"pk": self.proposal_id, "document_id": self.pk}
        )


class Review(models.Model):
    """One coordinator's review of one proposal: scores per criterion, a recommendation and
    two comments. Applicants never see who reviewed, nor the scores; they read the comment
    for applicants only when a coordinator quotes it in the decision message."""

    proposal = models.ForeignKey(
        ProjectProposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="proposal_reviews",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    comment_for_coordinators = models.TextField(_("comment for coordinators"), blank=True)
    comment_for_applicants = models.TextField(_("comment for the applicants"), blank=True)
    weighted_score = models.DecimalField(
        _("weighted score"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    conflict_declared_at = models.DateTimeField(_("conflict declared at"), null=True, blank=True)
    conflict_reason = models.CharField(_("conflict of interest"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["proposal", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "reviewer"], name="projects_review_once_per_reviewer"
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} → {self.proposal.acronym}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def has_conflict(self) -> bool:
        return self.conflict_declared_at is not None


class ReviewScore(models.Model):
    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        ReviewCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="projects_score_once_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="projects_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class ProposalEvent(models.Model):
    """A line of a proposal's timeline: what happened, when, by whom, with the message
    addressed to the applicants. A decision's line is shown to them from the moment its
    letter is released (`shown_from`)."""

    proposal = models.ForeignKey(
        ProjectProposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="timeline",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=TimelineKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    from_status = models.CharField(
        _("from"), max_length=20, choices=ProposalStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=ProposalStatus.choices, blank=True)
    message = models.TextField(_("message to the applicants"), blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    shown_from = models.DateTimeField(_("shown to the applicants from"), null=True, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        ordering = ["proposal", "created_at", "pk"]
        indexes = [models.Index(fields=["proposal", "created_at"], name="projects_timeline_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"
