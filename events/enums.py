from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    CONGRESS = "congress", _("Congress")
    CONFERENCE = "conference", _("Conference")
    CONVENTION = "convention", _("Convention")
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webinar", _("Webinar")
    NETWORKING = "networking", _("Networking meeting")
    GENERAL_ASSEMBLY = "general_assembly", _("General assembly")


class EventAudience(models.TextChoices):
    PUBLIC = "public", _("Open to everyone")
    MEMBERS = "members", _("Members only")
