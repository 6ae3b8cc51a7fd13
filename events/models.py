from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cluster_portal.core.translation import TranslatedField

from .enums import (
    ACTIVE_REGISTRATION_STATUSES,
    EventAudience,
    EventKind,
    RegistrationStatus,
)

# Paths of the events app that an event's slug must not take (events/urls.py).
RESERVED_SLUGS = frozenset({"my", "feed", "centres", "cancel", "check-in"})


def validate_event_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is a page of the calendar; choose another slug."),
            code="reserved_slug",
            params={"slug": value},
        )


def event_image_path(instance, filename: str) -> str:
    # A random hex stem given by core/images.py, as for logos.
    return f"events/{filename[:2]}/{filename}"


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, *, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, *, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")

    def with_seat_counts(self):
        """Each event with `confirmed_count` and `waitlisted_count`, in the same query."""
        return self.annotate(
            confirmed_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
            ),
            waitlisted_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
            ),
        )


class Event(models.Model):
    """A congress, conference, workshop... organised or promoted by the cluster."""

    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, validators=[validate_event_slug]
    )
    title_pl = models.CharField(_("title (Polish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_pl = models.CharField(_("summary (Polish)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    image = models.ImageField(_("image"), upload_to=event_image_path, blank=True)
    image_thumbnail = models.ImageField(
        _("image thumbnail"), upload_to=event_image_path, blank=True, editable=False
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    address = models.CharField(
        _("address"), max_length=255, blank=True, help_text=_("Street and number, floor, room.")
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep registration open until the event starts."),
    )
    audience = models.CharField(
        _("audience"), max_length=16, choices=EventAudience.choices, default=EventAudience.PUBLIC
    )
    centres = models.ManyToManyField(
        "competence_centres.CompetenceCentre",
        verbose_name=_("competence centres"),
        blank=True,
        related_name="events",
    )
    organiser = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_events",
        help_text=_("The member organisation that organises it; empty: the cluster office."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    # Raised whenever the date or the place changes, so that calendar clients replace the
    # entry they hold (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
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
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__gte=models.F("registration_opens_at")),
                name="events_registration_window_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event cannot end before it starts.")
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes < opens:
            errors["registration_closes_at"] = _("Registration cannot close before it opens.")
        if not (self.venue or self.city or self.online_url):
            errors["venue"] = _("Give the venue and city, or the online link.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.venue

    @property
    def is_members_only(self) -> bool:
        return self.audience == EventAudience.MEMBERS

    @property
    def seats_left(self) -> int | None:
        """Free seats (None: no limit); needs `confirmed_count` (with_seat_counts)."""
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.confirmed_count)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0


class Registration(models.Model):
    """A person's seat at an event, or their place on its waiting list.

    Rows are history: a cancellation changes the status of its row, and registering again
    later creates a new row. The waiting list is ordered by `queued_at`, then by id.
    """

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation represented"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    queued_at = models.DateTimeField(
        _("place in the waiting list"),
        null=True,
        blank=True,
        help_text=_(
            "When they joined the waiting list, or earlier if a coordinator moved them up."
        ),
    )
    over_capacity = models.BooleanField(
        _("above capacity"),
        default=False,
        help_text=_("Given a seat by a coordinator while the event was full."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The coordinator who registered them by hand; empty: they did."),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event__starts_at", "created_at", "pk"]
        indexes = [
            models.Index(fields=["event", "status", "queued_at"], name="events_reg_event_status"),
            models.Index(fields=["user", "status"], name="events_reg_user_status"),
        ]
        constraints = [
            # One seat or place in line per person and event; cancelled rows stay as history.
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=ACTIVE_REGISTRATION_STATUSES),
                name="events_one_active_registration",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values),
                name="events_registration_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=RegistrationStatus.WAITLISTED) | Q(queued_at__isnull=False),
                name="events_waitlisted_have_a_place",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.event} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_REGISTRATION_STATUSES

    @property
    def attended(self) -> bool:
        return self.attended_at is not None
