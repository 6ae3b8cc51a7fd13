from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationStatus(models.TextChoices):
    # Written but kept back until someone releases it (decision letters of a call).
    HELD = "held", _("Held until released")
    PENDING = "pending", _("Pending")
    # Claimed by a worker that is sending it now; the sweep frees it if the worker died.
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # The recipient switched the category off after the notification was written.
    SKIPPED = "skipped", _("Skipped (unsubscribed)")


class NotificationCategory(models.TextChoices):
    ACCOUNT = "account", _("Account and security")
    MEMBERSHIP = "membership", _("Membership of my organisation")
    CENTRES = "centres", _("Competence centres")
    FUNDING_CALLS = "funding_calls", _("Funding calls")
    EVENTS = "events", _("Events")
    PROPOSALS = "proposals", _("Project proposals")


# Categories that are always sent. Decisions about the recipient's own organisation are
# essential too, but per message: the service that writes them passes is_essential=True.
ESSENTIAL_CATEGORIES = frozenset({NotificationCategory.ACCOUNT})

# Categories a user chooses on the preferences page (with what each one covers).
OPTIONAL_CATEGORIES = [
    (NotificationCategory.MEMBERSHIP, _("Colleagues joining, invitations, profile reminders.")),
    (NotificationCategory.CENTRES, _("Join requests and news of the centres you take part in.")),
    (
        NotificationCategory.FUNDING_CALLS,
        _("New funding calls for your centres and deadline reminders."),
    ),
    (NotificationCategory.EVENTS, _("Event announcements, registrations and reminders.")),
    (
        NotificationCategory.PROPOSALS,
        _("Partnership requests and reviews of your project proposals."),
    ),
]
