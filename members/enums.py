from django.db import models
from django.utils.translation import gettext_lazy as _

from cluster_portal.core.roles import ORGANISATION_ADMIN, ORGANISATION_MEMBER


class OrganisationKind(models.TextChoices):
    PUBLIC_MEDICAL_FACILITY = "public_medical", _("Public medical facility")
    NON_PUBLIC_MEDICAL_FACILITY = "non_public_medical", _("Non-public medical facility")
    ENTERPRISE = "enterprise", _("Enterprise")
    UNIVERSITY = "university", _("University")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    TECHNOLOGY_PARK = "technology_park", _("Science and technology park")
    LOCAL_GOVERNMENT = "local_government", _("Local government unit")
    BUSINESS_SUPPORT = "business_support", _("Business-support institution")
    NGO = "ngo", _("NGO or patient organisation")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    """The sixteen voivodeships, plus members based abroad (who name their country)."""

    DOLNOSLASKIE = "dolnoslaskie", _("Lower Silesian")
    KUJAWSKO_POMORSKIE = "kujawsko-pomorskie", _("Kuyavian-Pomeranian")
    LUBELSKIE = "lubelskie", _("Lublin")
    LUBUSKIE = "lubuskie", _("Lubusz")
    LODZKIE = "lodzkie", _("Łódź")
    MALOPOLSKIE = "malopolskie", _("Lesser Poland")
    MAZOWIECKIE = "mazowieckie", _("Masovian")
    OPOLSKIE = "opolskie", _("Opole")
    PODKARPACKIE = "podkarpackie", _("Subcarpathian")
    PODLASKIE = "podlaskie", _("Podlaskie")
    POMORSKIE = "pomorskie", _("Pomeranian")
    SLASKIE = "slaskie", _("Silesian")
    SWIETOKRZYSKIE = "swietokrzyskie", _("Świętokrzyskie")
    WARMINSKO_MAZURSKIE = "warminsko-mazurskie", _("Warmian-Masurian")
    WIELKOPOLSKIE = "wielkopolskie", _("Greater Poland")
    ZACHODNIOPOMORSKIE = "zachodniopomorskie", _("West Pomeranian")
    ABROAD = "abroad", _("Abroad")


class SizeBand(models.TextChoices):
    MICRO = "micro", _("Micro (fewer than 10 people)")
    SMALL = "small", _("Small (10–49 people)")
    MEDIUM = "medium", _("Medium (50–249 people)")
    LARGE = "large", _("Large (250 people or more)")


class OrganisationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ACTIVE = "active", _("Active member")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")
    RESIGNED = "resigned", _("Resigned")


# An organisation in one of these states has left the cluster (or never got in): its
# profile and colleagues are frozen, its invitations closed.
CLOSED_ORGANISATION_STATUSES = frozenset({OrganisationStatus.REJECTED, OrganisationStatus.RESIGNED})


class OrganisationDecision(models.TextChoices):
    """What coordinators decide about an organisation, each from its own starting states."""

    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    SUSPEND = "suspend", _("Suspend")
    REINSTATE = "reinstate", _("Reinstate")
    RESIGN = "resign", _("Record resignation")


# decision → (the states it may start from, the state it leads to). Approving and
# reinstating both lead to "active" but are not the same act: "Reinstate" must never approve
# an application, nor "Approve" lift a suspension.
ORGANISATION_DECISIONS: dict[str, tuple[frozenset[str], str]] = {
    OrganisationDecision.APPROVE: (
        frozenset({OrganisationStatus.APPLIED}),
        OrganisationStatus.ACTIVE,
    ),
    OrganisationDecision.REJECT: (
        frozenset({OrganisationStatus.APPLIED}),
        OrganisationStatus.REJECTED,
    ),
    OrganisationDecision.SUSPEND: (
        frozenset({OrganisationStatus.ACTIVE}),
        OrganisationStatus.SUSPENDED,
    ),
    OrganisationDecision.REINSTATE: (
        frozenset({OrganisationStatus.SUSPENDED}),
        OrganisationStatus.ACTIVE,
    ),
    OrganisationDecision.RESIGN: (
        frozenset({OrganisationStatus.ACTIVE, OrganisationStatus.SUSPENDED}),
        OrganisationStatus.RESIGNED,
    ),
}


class MembershipRole(models.TextChoices):
    ADMIN = ORGANISATION_ADMIN, _("Administrator")
    MEMBER = ORGANISATION_MEMBER, _("Member")
