from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cluster_portal.core.reverse_kept import reverse_kept
from cluster_portal.core.translation import TranslatedField

from .enums import OPEN_PARTICIPATION_STATUSES, ParticipationStatus


class CompetenceCentreQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_member_counts(self):
        """Each centre with `member_count`: its active member organisations."""
        # Django leaves Meta.ordering out of aggregating queries; keep the centres' order
        # unless the caller chose another.
        queryset = self if self.query.order_by else self.order_by(*self.model._meta.ordering)
        return queryset.annotate(
            member_count=models.Count(
                "participations",
                filter=models.Q(
                    participations__status=ParticipationStatus.ACTIVE,
                    participations__organisation__status="active",
                ),
            )
        )


class CompetenceCentre(models.Model):
    """One of the cluster's directional projects, where members find partners and work."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    summary_pl = models.CharField(_("summary (Polish)"), max_length=300)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    leader = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("leader organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_centres",
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("centre coordinators"),
        blank=True,
        related_name="coordinated_centres",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CompetenceCentreQuerySet.as_manager()

    name = TranslatedField("name")
    summary = TranslatedField("summary")
    description = TranslatedField("description")

    class Meta:
        verbose_name = _("competence centre")
        verbose_name_plural = _("competence centres")
        ordering = ["order", "name_pl"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_kept("competence_centres:detail", slug=self.slug)


class CentreParticipation(models.Model):
    """An organisation's request to join a centre, and what became of it.

    Rows are history: a decision or a departure changes the status of its row, and asking
    again later creates a new row.
    """

    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="centre_participations",
    )
    centre = models.ForeignKey(
        CompetenceCentre,
        verbose_name=_("competence centre"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ParticipationStatus.choices,
        default=ParticipationStatus.REQUESTED,
    )
    motivation = models.TextField(_("motivation"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_message = models.TextField(_("decision message"), blank=True)
    left_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("left by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        verbose_name = _("centre participation")
        verbose_name_plural = _("centre participations")
        ordering = ["centre__order", "organisation__name"]
        constraints = [
            # One open request or membership per organisation and centre; history stays.
            models.UniqueConstraint(
                fields=["organisation", "centre"],
                condition=models.Q(status__in=OPEN_PARTICIPATION_STATUSES),
                name="centres_one_open_participation",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.centre} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PARTICIPATION_STATUSES
