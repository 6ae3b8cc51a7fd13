from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import NotificationCategory, NotificationStatus


class NotificationQuerySet(models.QuerySet):
    def for_site(self, user):
        """What a user sees on the site: their own notifications that carry a link (a held
        one only once it is released)."""
        return self.filter(recipient=user, show_on_site=True).exclude(status="held")

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one person, written in the same transaction as the change it reports.

    The row is the outbox: it exists before anything is sent, so a broker or worker outage
    delays a message but never loses it, and `dedupe_key` keeps a message from being written
    twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        help_text=_("Empty for mail to an address without an account (e.g. a reset request)."),
    )
    to_email = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    kind = models.CharField(_("kind"), max_length=80)
    category = models.CharField(_("category"), max_length=32, choices=NotificationCategory.choices)
    is_essential = models.BooleanField(
        _("essential"), default=False, help_text=_("Sent whatever the recipient's preferences.")
    )
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("plain-text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    carries_secret = models.BooleanField(
        _("carries a credential"),
        default=False,
        help_text=_(
            "The mail holds a link or code that works as a credential: the body kept here "
            "has it hidden, and only the recipient's mail carries it."
        ),
    )
    # The real mail of a credential-bearing notification, encrypted; cleared once delivered
    # or given up (sealing.py). Never shown anywhere.
    sealed = models.TextField(_("sealed body"), blank=True, editable=False)
    # Files of the mail (attachments.py), base64 in JSON. For a credential-bearing mail
    # only their names: the files travel in `sealed`.
    attachments = models.JSONField(_("attachments"), default=list, blank=True, editable=False)
    show_on_site = models.BooleanField(_("shown on the site"), default=True)
    dedupe_key = models.CharField(_("deduplication key"), max_length=255, unique=True)
    batch = models.UUIDField(_("batch"), db_index=True)
    # Names the group a held notification is released (or replaced) with, e.g.
    # "proposal-decision:42"; empty for the notifications that go at once.
    hold_key = models.CharField(_("held as"), max_length=120, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep looks for old pending rows; a partial index keeps that cheap forever.
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="pending"),
                name="notifications_pending_idx",
            ),
            models.Index(fields=["recipient", "read_at"], name="notifications_inbox_idx"),
            models.Index(
                fields=["hold_key"],
                condition=models.Q(status="held"),
                name="notifications_held_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=NotificationStatus.values),
                name="notifications_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.to_email}"

    def get_absolute_url(self):
        return reverse("notifications:open", kwargs={"pk": self.pk})


class NotificationPreference(models.Model):
    """A category a user switched off. No row means the category is on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    category = models.CharField(_("category"), max_length=32, choices=NotificationCategory.choices)
    email_enabled = models.BooleanField(_("send e-mails"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="notifications_preference_unique"
            ),
        ]

    def __str__(self):
        state = _("on") if self.email_enabled else _("off")
        return f"{self.user} · {self.get_category_display()}: {state}"
