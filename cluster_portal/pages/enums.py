from django.db import models
from django.utils.translation import gettext_lazy as _


class DirectorySort(models.TextChoices):
    """The directory's orders. The default (no value, so it stays out of the URL) is the
    best match when searching, and A to Z otherwise."""

    BEST_MATCH = "", _("Best match")
    NAME = "name", _("Name, A to Z")
    NEWEST = "newest", _("Newest members first")
