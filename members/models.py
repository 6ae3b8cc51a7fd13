from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cluster_portal.core.reverse_kept import reverse_kept

from .enums import MembershipRole, OrganisationKind, OrganisationStatus, Region, SizeBand
from .managers import UserManager
from .validators import validate_krs, validate_nip, validate_regon


class User(AbstractBaseUser, PermissionsMixin):
    """A person. The e-mail address is the login; organisations hold the institutional data."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the e-mails the portal sends you."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the user can log into the administration."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    privacy_notice_accepted_at = models.DateTimeField(
        _("privacy notice accepted at"), null=True, blank=True
    )
    # Set when the account was deleted: the row stays, nameless, so that the history of the
    # organisations (decisions, proposals, registrations) keeps a "deleted user" in place.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    # What __str__ reads: enough to load for a list that only names people.
    NAME_FIELDS = ["full_name", "email", "deleted_at"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="members_user_email_ci_unique"),
        ]

    def __str__(self):
        if self.deleted_at:
            return str(_("Deleted user"))
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return str(self)

    def get_short_name(self):
        return (self.full_name.split(" ")[0] if self.full_name else "") or self.email


def organisation_logo_path(instance, filename: str) -> str:
    # The file name is a random hex stem given by members/logos.py; the organisation's slug
    # stays out of the path, so a long name can neither overflow the column nor be cut.
    return f"logos/{filename[:2]}/{filename}"


class Organisation(models.Model):
    """A member institution: a hospital, a company, a university, a municipality..."""

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    nip = models.CharField(
        _("NIP"),
        max_length=10,
        blank=True,
        validators=[validate_nip],
        help_text=_("Tax identification number, 10 digits. Members abroad may leave it empty."),
    )
    regon = models.CharField(_("REGON"), max_length=14, blank=True, validators=[validate_regon])
    krs = models.CharField(_("KRS"), max_length=10, blank=True, validators=[validate_krs])
    street = models.CharField(_("street and number"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=16, blank=True)
    city = models.CharField(_("city"), max_length=120)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    country = models.CharField(
        _("country"),
        max_length=2,
        default="PL",
        help_text=_("Two-letter country code; for members abroad."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    specialisations = models.CharField(
        _("specialisations"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated, e.g. cardiology, medical imaging, telemedicine."),
    )
    size_band = models.CharField(_("size"), max_length=16, choices=SizeBand.choices, blank=True)
    logo = models.ImageField(
        _("logo"), upload_to=organisation_logo_path, max_length=255, blank=True, editable=False
    )
    logo_thumbnail = models.ImageField(
        _("logo thumbnail"),
        upload_to=organisation_logo_path,
        max_length=255,
        blank=True,
        editable=False,
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_is_public = models.BooleanField(
        _("show contact details publicly"),
        default=False,
        help_text=_("Otherwise only coordinators see them."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.APPLIED,
    )
    is_public = models.BooleanField(
        _("listed in the public directory"),
        default=True,
    )
    joined_on = models.DateField(_("member since"), null=True, blank=True)
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Weighted name > specialisations > description; kept current by the services
    # (organisation_refresh_search) and GIN-indexed on PostgreSQL. Unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "is_public", "kind"], name="members_org_directory_idx"),
            models.Index(fields=["region"], name="members_org_region_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OrganisationStatus.values),
                name="members_organisation_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(region="abroad") | ~models.Q(country="PL"),
                name="members_organisation_abroad_names_country",
            ),
            models.CheckConstraint(
                condition=models.Q(region="abroad") | models.Q(country="PL"),
                name="members_organisation_voivodeship_in_poland",
            ),
            models.CheckConstraint(
                # A declined application anonymised by retention keeps no NIP.
                condition=models.Q(region="abroad")
                | ~models.Q(nip="")
                | models.Q(status="rejected"),
                name="members_organisation_polish_member_has_nip",
            ),
            models.UniqueConstraint(
                fields=["nip"], condition=~models.Q(nip=""), name="members_organisation_nip_unique"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_kept("pages:organisation_detail", slug=self.slug)

    @property
    def is_active_member(self) -> bool:
        return self.status == OrganisationStatus.ACTIVE

    @property
    def is_abroad(self) -> bool:
        return self.region == Region.ABROAD

    @property
    def is_listed(self) -> bool:
        """Shown on public pages: an active member that chose to be listed."""
        return self.status == OrganisationStatus.ACTIVE and self.is_public

    @property
    def specialisation_list(self) -> list[str]:
        return [item.strip() for item in self.specialisations.split(",") if item.strip()]


class OrganisationMembership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="members_membership_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"

    @property
    def is_admin(self) -> bool:
        return self.role == MembershipRole.ADMIN


class Invitation(models.Model):
    """An organisation admin's invitation to a colleague, accepted through a signed link."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # The key of the page the invitation was sent from (core.forms.SubmissionKeyField):
    # "Invite" clicked twice sends one invitation.
    submission_key = models.UUIDField(_("submission key"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address and organisation; accepted ones stay as history.
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="members_invitation_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and (self.expires_at > timezone.now())
        )
