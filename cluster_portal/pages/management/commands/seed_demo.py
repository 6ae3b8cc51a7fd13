"""Fill the database with a believable, entirely fictional cluster for demos and manual testing.

The content is data: one TOML file per area in cluster_portal/pages/demo/, which a cluster
office can edit without reading Python. Each area has one function here that writes its rows,
run in the order of AREAS; later areas refer to earlier rows by name (organisations), e-mail
(people) or slug (centres, events). Adding an area is a TOML file, a `seed_<area>(demo, data)`
function and a line in AREAS.

Every row is looked up by a natural key (slug, e-mail, organisation and centre) before it is
written, so the command can run again at any time: it brings the demo rows back to what the
files say and never duplicates them; rows it did not write are left alone. It writes rows
directly instead of going through the services, which would notify everyone concerned (the
demo's decisions and announcements would mean hundreds of e-mails); it reuses what the
services compute (slugs, the search index) and the same roles and enums.
"""

import tomllib
import zlib
from datetime import date, datetime, timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

from cluster_portal.core.roles import COORDINATORS_GROUP
from cluster_portal.pages.models import NewsPost, SiteSettings
from competence_centres.enums import OPEN_PARTICIPATION_STATUSES, ParticipationStatus
from competence_centres.models import CentreParticipation, CompetenceCentre
from events.models import Event, Registration
from members.enums import MembershipRole
from members.models import Organisation, OrganisationMembership, User
from members.services import organisation_refresh_search, organisation_slug
from projects.models import FundingCall, ProjectProposal

from ...demo.base import Demo, at_warsaw
from ...demo.projects import seed_calls, seed_proposals
from ...demo.registrations import seed_registrations

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
# Keys of the data files that are not fields of the row they describe.
ORGANISATION_KEYS = {"has_regon", "has_krs", "decided_on"}
EVENT_KEYS = {"in_days", "days", "at", "until", "centres"}
NEWS_KEYS = {"days_ago", "at"}
# Rows that are not written field by field, so a misspelt key would otherwise go unnoticed.
PERSON_KEYS = {"email", "full_name", "job_title", "preferred_language", "demo_login"}
PERSON_KEYS |= {"cluster_coordinator", "superuser", "admin_of", "member_of"}
CENTRE_KEYS = {"motivation", "coordinators", "leader", "members", "requests"}


def first_working_day(day: date, *, days: int) -> date:
    """The first day from `day` on which an event lasting `days` days avoids weekends."""
    while any((day + timedelta(days=offset)).weekday() >= 5 for offset in range(days)):
        day += timedelta(days=1)
    return day


def nip_from_seed(seed: int) -> str:
    """A NIP that stdnum accepts; the same seed always gives the same number."""
    body = 100_000_000 + seed % 900_000_000
    while True:
        for digit in range(10):
            if stdnum_nip.is_valid(f"{body}{digit}"):
                return f"{body}{digit}"
        # No digit completes this body (its weighted sum leaves 10): such NIPs are never issued.
        body += 1


def regon_from_seed(seed: int) -> str:
    body = str(10_000_000 + seed % 90_000_000)
    return body + stdnum_regon.calc_check_digit(body)


def krs_from_seed(seed: int) -> str:
    # KRS numbers are zero-padded sequence numbers without a check digit.
    return f"{100_000 + seed % 900_000:010d}"


def seed_site_settings(demo: Demo, data: dict) -> None:
    # The admin keeps goals and benefits one a line.
    texts = {key: "\n".join(v) if isinstance(v, list) else v for key, v in data.items()}
    demo.upsert(SiteSettings, {"pk": 1}, texts)


def seed_people(demo: Demo, data: dict) -> None:
    coordinators = Group.objects.filter(name=COORDINATORS_GROUP).first()
    if coordinators is None:
        raise CommandError(f'The "{COORDINATORS_GROUP}" group is missing; run migrate first.')
    demo.password = data["password"]
    # One hash serves every account: hashing forty passwords would take ten seconds.
    password_hash = make_password(demo.password)
    for person in data["person"]:
        demo.check_keys(person, PERSON_KEYS)
        email = person["email"]
        user = User.objects.filter(email__iexact=email).first()
        user = user or User.objects.create_user(email=email)
        user.full_name = person["full_name"]
        user.job_title = person.get("job_title", "")
        user.preferred_language = person.get("preferred_language", "pl")
        user.is_superuser = person.get("superuser", False)
        user.is_staff = user.is_superuser or person.get("cluster_coordinator", False)
        user.is_active = True
        # Reset on every run, so the printed logins work even after someone changed a password.
        user.password = password_hash
        user.save()
        # allauth refuses to log in unverified addresses when verification is mandatory.
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        if person.get("cluster_coordinator"):
            user.groups.add(coordinators)
        demo.users[email] = user
        if "demo_login" in person:
            demo.logins.append((email, person["demo_login"]))


def seed_organisations(demo: Demo, data: dict) -> None:
    decided_by = demo.user(data["decided_by"])
    for row in data["organisation"]:
        slug = organisation_slug(name=row["name"])
        # crc32, unlike hash(), is the same in every process, so the numbers stay put.
        seed = zlib.crc32(slug.encode())
        decided_on = row.get("decided_on", row.get("joined_on"))
        fields = {key: value for key, value in row.items() if key not in ORGANISATION_KEYS}
        fields |= {
            "nip": nip_from_seed(seed),
            "regon": regon_from_seed(seed) if row.get("has_regon") else "",
            "krs": krs_from_seed(seed) if row.get("has_krs") else "",
            # Applications waiting for a decision have not been decided by anyone yet.
            "decided_by": decided_by if decided_on else None,
            "decided_at": at_warsaw(decided_on, "12:00") if decided_on else None,
        }
        organisation = demo.upsert(Organisation, {"slug": slug}, fields)
        demo.organisations[organisation.name] = organisation
    # The rows bypassed the services, which keep the search index current: refresh it here.
    organisation_refresh_search(organisation_ids=[o.pk for o in demo.organisations.values()])


def seed_memberships(demo: Demo, data: dict) -> None:
    for person in data["person"]:
        user = demo.user(person["email"])
        for role, key in ((MembershipRole.ADMIN, "admin_of"), (MembershipRole.MEMBER, "member_of")):
            for name in person.get(key, []):
                OrganisationMembership.objects.update_or_create(
                    user=user, organisation=demo.organisation(name), defaults={"role": role}
                )
                if role == MembershipRole.ADMIN:
                    demo.organisation_admins.setdefault(name, user)


def seed_centres(demo: Demo, data: dict) -> None:
    decided_by = demo.user(data["decided_by"])
    after_membership = timedelta(days=data["joined_days_after_membership"])
    asked_before = timedelta(days=data["asked_days_before_joining"])
    pending_since = demo.now - timedelta(days=data["requests_sent_days_ago"])
    for slug, about in data["centre"].items():
        demo.check_keys(about, CENTRE_KEYS)
        centre = demo.centre(slug)
        centre.coordinators.add(*(demo.user(email) for email in about.get("coordinators", [])))
        for name in about.get("members", []):
            joined_on = demo.organisation(name).joined_on
            if joined_on is None:
                raise demo.fail(f"{name} has not joined the cluster, so it cannot join {slug}.")
            decided_at = at_warsaw(joined_on + after_membership, "12:00")
            fields = {
                "status": ParticipationStatus.ACTIVE,
                "decided_by": decided_by,
                "decided_at": decided_at,
            }
            participation_upsert(demo, name, centre, about, decided_at - asked_before, fields)
        for name in about.get("requests", []):
            fields = {"status": ParticipationStatus.REQUESTED}
            participation_upsert(demo, name, centre, about, pending_since, fields)
        if "leader" in about:
            if about["leader"] not in about.get("members", []):
                raise demo.fail(f"the leader of {slug} must be one of its members.")
            centre.leader = demo.organisation(about["leader"])
            centre.save(update_fields=["leader"])


def participation_upsert(
    demo: Demo,
    name: str,
    centre: CompetenceCentre,
    about: dict,
    requested_at: datetime,
    fields: dict,
) -> None:
    """The organisation's open participation in `centre`; declined and left ones stay history."""
    organisation = demo.organisation(name)
    # At most one participation is open per organisation and centre (a database constraint).
    lookup = {
        "organisation": organisation,
        "centre": centre,
        "status__in": OPEN_PARTICIPATION_STATUSES,
    }
    requested = {"motivation": about["motivation"], "requested_by": demo.organisation_admin(name)}
    participation = demo.upsert(CentreParticipation, lookup, fields | requested)
    # requested_at is auto_now_add, which ignores assigned values; backdate it separately.
    CentreParticipation.objects.filter(pk=participation.pk).update(requested_at=requested_at)


def seed_events(demo: Demo, data: dict) -> None:
    registration_opens = timedelta(days=data["registration_opens_days_before"])
    registration_closes = timedelta(days=data["registration_closes_days_before"])
    for row in data["event"]:
        days = row.get("days", 1)
        first_day = first_working_day(demo.today + timedelta(days=row["in_days"]), days=days)
        starts_at = at_warsaw(first_day, row["at"])
        fields = {key: value for key, value in row.items() if key not in EVENT_KEYS}
        fields |= {
            "starts_at": starts_at,
            "ends_at": at_warsaw(first_day + timedelta(days=days - 1), row["until"]),
            "registration_opens_at": starts_at - registration_opens,
            "registration_closes_at": starts_at - registration_closes,
            # Published directly: event_publish would announce each event to its audience.
            "is_published": True,
        }
        event = demo.upsert(Event, {"slug": row["slug"]}, fields)
        event.centres.set([demo.centre(slug) for slug in row.get("centres", [])])


def seed_news(demo: Demo, data: dict) -> None:
    for row in data["post"]:
        published_at = at_warsaw(demo.today - timedelta(days=row["days_ago"]), row["at"])
        fields = {key: value for key, value in row.items() if key not in NEWS_KEYS}
        fields |= {"is_published": True, "published_at": published_at}
        demo.upsert(NewsPost, {"slug": row["slug"]}, fields)


# In the order they are written: each area may refer to the rows of the areas above it.
AREAS = [
    ("site.toml", seed_site_settings),
    ("people.toml", seed_people),
    ("organisations.toml", seed_organisations),
    ("people.toml", seed_memberships),
    ("centres.toml", seed_centres),
    ("events.toml", seed_events),
    ("registrations.toml", seed_registrations),
    ("news.toml", seed_news),
    ("calls.toml", seed_calls),
    ("proposals.toml", seed_proposals),
]


def read_area(file_name: str) -> dict:
    try:
        return tomllib.loads((DEMO_DIR / file_name).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CommandError(f"{file_name}: {error}") from None


class Command(BaseCommand):
    help = "Create or refresh a fictional demo cluster: organisations, people, events and news."

    def handle(self, *args, **options):
        # Every file is read before anything is written: a typo stops the command untouched.
        data = {file_name: read_area(file_name) for file_name, _seed in AREAS}
        demo = Demo(now=timezone.now(), centres={c.slug: c for c in CompetenceCentre.objects.all()})
        with transaction.atomic():
            for file_name, seed in AREAS:
                demo.file_name = file_name
                seed(demo, data[file_name])
        self.report(demo)

    def report(self, demo: Demo) -> None:
        counts = {
            "organisations": Organisation,
            "users": User,
            "centre participations": CentreParticipation,
            "events": Event,
            "event registrations": Registration,
            "news posts": NewsPost,
            "funding calls": FundingCall,
            "project proposals": ProjectProposal,
        }
        held = ", ".join(f"{model.objects.count()} {label}" for label, model in counts.items())
        self.stdout.write(f"Database now holds {held}.")
        logins = "".join(f"\n  {email} — {who}" for email, who in demo.logins)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo logins (password: {demo.password}){logins}\n"
                "  Every organisation admin and member also logs in with the same password."
            )
        )
