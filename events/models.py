from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cluster_portal.core.translation import TranslatedField

from .enums import EventAudience, EventKind


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, *, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")


class Event(models.Model):
    """A congress, conference, workshop... organised or promoted by the cluster."""

    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title_pl = models.CharField(_("title (Polish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_pl = models.CharField(_("summary (Polish)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    audience = models.CharField(
        _("audience"), max_length=16, choices=EventAudience.choices, default=EventAudience.PUBLIC
    )
    centres = models.ManyToManyField(
        "competence_centres.CompetenceCentre",
        verbose_name=_("competence centres"),
        blank=True,
        related_name="events",
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EventQuerySet.as_manager()

    title = TranslatedField("title")
    summary = TranslatedField("summary")
    description = TranslatedField("description")

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["is_published", "starts_at"], name="events_published_start")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="events_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.venue
