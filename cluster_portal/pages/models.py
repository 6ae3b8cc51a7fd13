import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cluster_portal.core.process_memo import ProcessMemo
from cluster_portal.core.translation import TranslatedField

SITE_SETTINGS_CACHE_KEY = "pages:site-settings:v2"


class SiteSettings(models.Model):
    """The texts of the home and about pages, which the cluster office edits in the admin.

    There is exactly one row (pk=1); `SiteSettings.load()` creates it on first use.
    """

    cluster_name_pl = models.CharField(_("cluster name (Polish)"), max_length=150)
    cluster_name_en = models.CharField(_("cluster name (English)"), max_length=150, blank=True)
    tagline_pl = models.CharField(_("tagline (Polish)"), max_length=250, blank=True)
    tagline_en = models.CharField(_("tagline (English)"), max_length=250, blank=True)
    about_pl = models.TextField(_("what the cluster is (Polish)"), blank=True)
    about_en = models.TextField(_("what the cluster is (English)"), blank=True)
    goals_pl = models.TextField(_("goals (Polish)"), blank=True, help_text=_("One goal per line."))
    goals_en = models.TextField(_("goals (English)"), blank=True, help_text=_("One goal per line."))
    benefits_pl = models.TextField(
        _("what members gain (Polish)"), blank=True, help_text=_("One benefit per line.")
    )
    benefits_en = models.TextField(
        _("what members gain (English)"), blank=True, help_text=_("One benefit per line.")
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.CharField(_("office address"), max_length=255, blank=True)
    privacy_pl = models.TextField(
        _("privacy notice (Polish)"),
        blank=True,
        help_text=_("Plain text; an empty notice shows the portal's default text."),
    )
    privacy_en = models.TextField(
        _("privacy notice (English)"),
        blank=True,
        help_text=_("Plain text; an empty notice shows the portal's default text."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    cluster_name = TranslatedField("cluster_name")
    tagline = TranslatedField("tagline")
    about = TranslatedField("about")
    goals = TranslatedField("goals")
    benefits = TranslatedField("benefits")
    privacy = TranslatedField("privacy")

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return str(_("Site settings"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(SITE_SETTINGS_CACHE_KEY)
        _site_settings_memo.invalidate()

    @classmethod
    def load(cls) -> "SiteSettings":
        """The row, as every page's layout reads it: from this process, checked against the
        shared cache at most once a second (core/process_memo.py)."""
        return _site_settings_memo.get()

    @classmethod
    def _load_shared(cls) -> "SiteSettings":
        settings_row = cache.get(SITE_SETTINGS_CACHE_KEY)
        if settings_row is None:
            settings_row, _created = cls.objects.get_or_create(
                pk=1,
                defaults={
                    "cluster_name_pl": "Klaster Medyczny",
                    "cluster_name_en": "Medical Cluster",
                },
            )
            cache.set(SITE_SETTINGS_CACHE_KEY, settings_row, 300)
        return settings_row

    @property
    def goal_list(self) -> list[str]:
        return [line.strip() for line in self.goals.splitlines() if line.strip()]

    @property
    def benefit_list(self) -> list[str]:
        return [line.strip() for line in self.benefits.splitlines() if line.strip()]


_site_settings_memo = ProcessMemo("site-settings", lambda: SiteSettings._load_shared())


class NewsPostQuerySet(models.QuerySet):
    def published(self, *, now=None):
        return self.filter(is_published=True, published_at__lte=now or timezone.now())


class NewsPost(models.Model):
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title_pl = models.CharField(_("title (Polish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    lead_pl = models.CharField(_("lead (Polish)"), max_length=400, blank=True)
    lead_en = models.CharField(_("lead (English)"), max_length=400, blank=True)
    body_pl = models.TextField(_("text (Polish)"))
    body_en = models.TextField(_("text (English)"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("publication date"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NewsPostQuerySet.as_manager()

    title = TranslatedField("title")
    lead = TranslatedField("lead")
    body = TranslatedField("body")

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        ordering = ["-published_at"]
        indexes = [
            models.Index(fields=["is_published", "-published_at"], name="pages_news_published")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:news_detail", kwargs={"slug": self.slug})


class PersonalCalendar(models.Model):
    """The key of a person's private calendar feed (pages/calendar.py).

    The feed's address is signed with SECRET_KEY and names the person and `generation`;
    nothing secret is stored. Resetting the address raises the generation, which turns
    every earlier address off.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="personal_calendar",
    )
    generation = models.PositiveIntegerField(_("generation"), default=1)
    reset_at = models.DateTimeField(_("reset at"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal calendar")
        verbose_name_plural = _("personal calendars")

    def __str__(self):
        return str(self.user)


def _private_storage():
    return storages["private"]


def data_export_path(instance, filename: str) -> str:
    return f"data-exports/{instance.token}.zip"


class DataExport(models.Model):
    """A person's download of their data (privacy/export.py): built by a worker, served
    only to them, for a day."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="data_exports",
    )
    # Names the file and the download address; the download also checks the owner.
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(
        _("file"), storage=_private_storage, upload_to=data_export_path, blank=True
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_status_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("pages:data_export_download", kwargs={"token": self.token})

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at
