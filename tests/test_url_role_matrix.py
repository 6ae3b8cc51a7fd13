"""Every named URL of the portal, by every role, with GET and POST: the status of each cell.

The TABLE below is the one place that says who gets what. The test requests every cell (with
real objects, each role a real logged-in account) and fails listing every cell that differs;
it also fails when a named URL of the portal, or a model registered in the admin, has no row.

Adding a page: add a `Row` to TABLE with its URL name, a `kwargs` builder that takes its
arguments from the `World` (add the object to `build_world` if it is new), and a GET and a
POST string of ten statuses in the order of the ROLES (visitor, user, member_a, admin_a,
admin_b, centre_coord_x, centre_coord_x_nomfa, cluster_coord, cluster_coord_nomfa,
superuser). Decide each status from what the page should do, not from what it does. A 302
may say where it goes: `302L` the login page, `302M` the MFA setup page, `302A` the admin's
login, `302R`/`302F` "confirm it is you" by password / by the second factor. POSTs are
empty unless the row gives `data`; mark `creates=True` when the POST creates a unique row,
and give it a valid `data` and an entry in RACES of tests/test_create_once_races.py, which
fires eight of it at once. Registering a model in the admin
needs its five rows (changelist, add, change, history, delete) in ADMIN ROWS below.

Every cell runs in a savepoint that is rolled back, so rows may change state freely.
"""

import datetime
import re
import uuid
from dataclasses import dataclass

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cluster_portal.core.audit import audit_record
from cluster_portal.core.enums import AuditAction
from cluster_portal.core.models import AuditEntry
from cluster_portal.notifications.models import Notification, NotificationPreference
from cluster_portal.notifications.tokens import unsubscribe_token
from cluster_portal.pages.calendar import personal_calendar_token
from cluster_portal.pages.models import DataExport, NewsPost, SiteSettings
from cluster_portal.pages.privacy.export import data_export_build
from competence_centres.models import CentreParticipation, CompetenceCentre
from competence_centres.services import participation_request
from events.models import Event, Registration
from events.services import registration_cancel, registration_create
from events.tokens import cancel_token, check_in_token
from members.models import Invitation, Organisation, OrganisationMembership, User
from members.services import invitation_revoke, organisation_invite_member
from members.tokens import invitation_token
from projects.models import (
    FundingCall,
    ProjectProposal,
    ProposalDocument,
    ProposalPartner,
    Review,
)
from projects.selectors import criteria_for
from projects.services import document_add
from tests.factories import (
    DEFAULT_PASSWORD,
    EventFactory,
    FundingCallFactory,
    MembershipFactory,
    NewsPostFactory,
    OrganisationFactory,
    ParticipationFactory,
    PartnerFactory,
    ProposalFactory,
    UserFactory,
    valid_nip,
)
from tests.helpers import with_second_factor
from tests.url_matrix import ROLES as ROLES_IN_ORDER
from tests.url_matrix import (
    Row,
    admin_url_names,
    describe,
    portal_url_names,
    run_matrix,
)

pytestmark = pytest.mark.django_db

# A signed value in the right shape whose signature is wrong.
BOGUS_TOKEN = "MQ:1tWbC4:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
NEW_COLLEAGUE = "nowy.kolega@szpital-a.example"
# The hidden key of a create form's page (core.forms.SubmissionKeyField), as a browser sends it.
SUBMISSION_KEY = "6f1c1c1e-9d0e-4a57-b1a4-2d5c0f1b9e21"


@dataclass
class World:
    """What the rows' URLs and POST bodies are made of; `world.<role>` is that role's user."""

    users: dict[str, User | None]
    org_a: Organisation
    org_b: Organisation
    org_private: Organisation
    membership_member_a: OrganisationMembership
    membership_admin_b: OrganisationMembership
    invitation_new_address: Invitation
    invitation_for_user: Invitation
    invitation_revoked: Invitation
    invitation_of_b: Invitation
    centre_x: CompetenceCentre
    other_centre: CompetenceCentre
    participation_a: CentreParticipation
    request_b: CentreParticipation
    request_b_other: CentreParticipation
    unverified_address: EmailAddress
    authenticator: Authenticator
    coordinators_group: Group
    notification: Notification
    preference: NotificationPreference
    site_settings: SiteSettings
    news: NewsPost
    news_draft: NewsPost
    event: Event
    event_draft: Event
    registration_a: Registration
    registration_cancelled: Registration
    logo_name: str
    call: FundingCall
    call_draft: FundingCall
    proposal_a: ProjectProposal
    proposal_inviting_b: ProjectProposal
    invitation_of_b_to_proposal: ProposalPartner
    partnership_b: ProposalPartner
    document_a: ProposalDocument
    review: Review
    proposal_in_review: ProjectProposal
    event_image_name: str
    data_export: DataExport
    audit_entry: AuditEntry

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def build_world(media_root) -> World:
    """The objects every row's URL and data come from; one account per role."""
    centre_x = CompetenceCentre.objects.get(slug="telemedicine")
    org_a = OrganisationFactory(name="Szpital A", is_public=True)
    org_b = OrganisationFactory(name="Klinika B")
    org_private = OrganisationFactory(name="Przychodnia Niepubliczna", is_public=False)
    MembershipFactory(organisation=org_private, role="admin")

    membership_member_a = MembershipFactory(organisation=org_a)
    admin_a = MembershipFactory(organisation=org_a, role="admin").user
    membership_admin_b = MembershipFactory(organisation=org_b, role="admin")
    admin_b = membership_admin_b.user

    centre_coord_x = UserFactory()
    with_second_factor(centre_coord_x)
    centre_coord_x_nomfa = UserFactory()
    centre_x.coordinators.add(centre_coord_x, centre_coord_x_nomfa)

    coordinators_group = Group.objects.get(name="Coordinators")
    cluster_coord = UserFactory(is_staff=True)
    cluster_coord_nomfa = UserFactory(is_staff=True)
    for person in (cluster_coord, cluster_coord_nomfa):
        person.groups.add(coordinators_group)
    with_second_factor(cluster_coord)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    with_second_factor(superuser)

    user = UserFactory()
    unverified_address = EmailAddress.objects.create(
        user=user, email="drugi.adres@example.org", verified=False, primary=False
    )
    invitation_new_address = organisation_invite_member(
        organisation=org_a, actor=admin_a, email=NEW_COLLEAGUE, role="member"
    )
    invitation_for_user = organisation_invite_member(
        organisation=org_a, actor=admin_a, email=user.email, role="member"
    )
    invitation_revoked = invitation_revoke(
        invitation=organisation_invite_member(
            organisation=org_a, actor=admin_a, email="odwolany@example.org", role="member"
        ),
        actor=admin_a,
    )
    invitation_of_b = organisation_invite_member(
        organisation=org_b, actor=admin_b, email=NEW_COLLEAGUE, role="member"
    )
    participation_a = ParticipationFactory(organisation=org_a, centre=centre_x, status="active")
    request_b = participation_request(
        organisation=org_b, centre=centre_x, actor=admin_b, motivation="Teleporady kardiologiczne."
    )
    other_centre = CompetenceCentre.objects.get(slug="ict")
    request_b_other = participation_request(
        organisation=org_b, centre=other_centre, actor=admin_b, motivation="Systemy HIS."
    )

    member_a = membership_member_a.user
    notification = Notification.objects.create(
        recipient=member_a,
        to_email=member_a.email,
        language="en",
        kind="matrix.example",
        category="membership",
        subject="A colleague joined",
        body_text="A colleague joined Szpital A.",
        link="/en/members/my/",
        dedupe_key=f"matrix.example:{member_a.pk}",
        batch=uuid.uuid4(),
    )
    preference = NotificationPreference.objects.create(
        user=member_a, category="events", email_enabled=False
    )

    event = EventFactory()
    registration_a = registration_create(event=event, user=member_a)
    registration_cancelled = registration_cancel(
        registration=registration_create(event=event, user=user), via_link=True
    )
    event_image_name = "9a/9a0c2b7e51d04b8a.png"  # the random stem core/images.py gives
    (media_root / "events" / "9a").mkdir(parents=True)
    Image.new("RGB", (4, 4), "white").save(media_root / "events" / event_image_name)

    logo_name = "3f/3f9c2a7e51d04b8a.png"  # the random stem members/logos.py gives
    (media_root / "logos" / "3f").mkdir(parents=True)
    Image.new("RGB", (4, 4), "white").save(media_root / "logos" / logo_name)
    (media_root / "private.txt").write_text("not a logo")

    call = FundingCallFactory(title_en="Matrix call")
    call.centres.add(centre_x)
    proposal_a = ProposalFactory(lead=org_a, call=call, created_by=admin_a)
    partnership_b = PartnerFactory(proposal=proposal_a, organisation=org_b, status="confirmed")
    proposal_inviting_b = ProposalFactory(lead=org_a, created_by=admin_a)
    invitation_of_b_to_proposal = PartnerFactory(
        proposal=proposal_inviting_b, organisation=org_b, status="invited"
    )
    document_a = document_add(
        proposal=proposal_a,
        actor=admin_a,
        upload=SimpleUploadedFile("wniosek.pdf", b"%PDF-1.4\n%%EOF\n"),
        kind="application",
    )
    review_proposal = ProposalFactory(lead=org_b, status="in_review")
    review = Review.objects.create(proposal=review_proposal, reviewer=cluster_coord)

    return World(
        call=call,
        call_draft=FundingCallFactory(is_published=False),
        proposal_a=proposal_a,
        proposal_inviting_b=proposal_inviting_b,
        invitation_of_b_to_proposal=invitation_of_b_to_proposal,
        partnership_b=partnership_b,
        document_a=document_a,
        review=review,
        data_export=data_export_build(
            export_id=DataExport.objects.create(
                user=member_a, expires_at=timezone.now() + datetime.timedelta(days=1)
            ).pk
        ),
        audit_entry=audit_record(
            actor=cluster_coord, action=AuditAction.ADMIN_RECORD_VIEWED, target=org_a
        ),
        proposal_in_review=ProposalFactory(lead=org_b, status="in_review"),
        users={
            "visitor": None,
            "user": user,
            "member_a": member_a,
            "admin_a": admin_a,
            "admin_b": admin_b,
            "centre_coord_x": centre_coord_x,
            "centre_coord_x_nomfa": centre_coord_x_nomfa,
            "cluster_coord": cluster_coord,
            "cluster_coord_nomfa": cluster_coord_nomfa,
            "superuser": superuser,
        },
        centre_x=centre_x,
        other_centre=other_centre,
        org_a=org_a,
        org_b=org_b,
        org_private=org_private,
        membership_member_a=membership_member_a,
        membership_admin_b=membership_admin_b,
        invitation_of_b=invitation_of_b,
        request_b_other=request_b_other,
        invitation_new_address=invitation_new_address,
        invitation_for_user=invitation_for_user,
        invitation_revoked=invitation_revoked,
        participation_a=participation_a,
        request_b=request_b,
        unverified_address=unverified_address,
        notification=notification,
        preference=preference,
        authenticator=Authenticator.objects.get(user=cluster_coord, type="totp"),
        coordinators_group=coordinators_group,
        site_settings=SiteSettings.load(),
        news=NewsPostFactory(),
        news_draft=NewsPostFactory(is_published=False),
        event=event,
        event_draft=EventFactory(is_published=False),
        registration_a=registration_a,
        registration_cancelled=registration_cancelled,
        logo_name=logo_name,
        event_image_name=event_image_name,
    )


def organisation_application(world) -> dict:
    return {
        "kind": "university",
        "name": "Uniwersytet Medyczny w Matrycy",
        "nip": valid_nip(10_000_000),  # far from the factories' sequence
        "city": "Lublin",
        "region": "lubelskie",
        "country": "PL",
        "is_public": "on",
    }


def password_reset_kwargs(world) -> dict:
    member_a = world.member_a
    return {
        "uidb36": user_pk_to_url_str(member_a),
        "key": default_token_generator.make_token(member_a),
    }


def unsubscribe_kwargs(world, category: str) -> dict:
    return {"token": unsubscribe_token(user_id=world.member_a.pk, category=category)}


def obj(attribute):
    """kwargs for an admin change/history/delete page of the world's `attribute`."""
    return lambda world: {"object_id": getattr(world, attribute).pk}


def slug_a(world) -> dict:
    return {"slug": world.org_a.slug}


def slug_x(world) -> dict:
    return {"slug": world.centre_x.slug}


def proposal_a(world) -> dict:
    return {"pk": world.proposal_a.pk}


def new_proposal(world) -> dict:
    return {
        "lead": world.org_a.pk,
        "title": "Macierz ról",
        "acronym": "MATRIX",
        "summary": "A proposal drafted by the matrix.",
        "currency": "PLN",
        "submission_key": SUBMISSION_KEY,
    }


def assign_cluster_coord(world) -> dict:
    return {
        "action": "assign_reviewers",
        "_selected_action": [world.proposal_in_review.pk],
        "apply": "1",
        "reviewers": [world.cluster_coord.pk],
    }


def written_review(world) -> dict:
    scores = {
        f"score_{criterion.pk}": "4" for criterion in criteria_for(proposal=world.review.proposal)
    }
    return {**scores, "recommendation": "accept", "comment_for_applicants": "Solid."}


DELETE_CONFIRMED = {"post": "yes"}
FUNDING_CALL = {
    "slug": "konkurs-macierzy",
    "programme": "feng",
    "funder": "NCBR",
    "title_pl": "Konkurs macierzy",
    "opens_at_0": "2026-02-01",
    "opens_at_1": "09:00:00",
    "deadline_0": "2026-04-30",
    "deadline_1": "16:00:00",
    "currency": "PLN",
    "criteria-TOTAL_FORMS": "0",
    "criteria-INITIAL_FORMS": "0",
    "criteria-MIN_NUM_FORMS": "0",
    "criteria-MAX_NUM_FORMS": "1000",
}
EVENT = {
    "kind": "workshop",
    "slug": "warsztaty-macierzy",
    "audience": "public",
    "title_pl": "Warsztaty macierzy",
    "starts_at_0": "2026-03-10",
    "starts_at_1": "10:00:00",
    "ends_at_0": "2026-03-10",
    "ends_at_1": "16:00:00",
    "city": "Lublin",
}
NEW_ACCOUNT = {
    "email": "nowe.konto@example.org",
    "password1": DEFAULT_PASSWORD,
    "password2": DEFAULT_PASSWORD,
    "memberships-TOTAL_FORMS": "0",
    "memberships-INITIAL_FORMS": "0",
    "memberships-MIN_NUM_FORMS": "0",
    "memberships-MAX_NUM_FORMS": "1000",
}
NEW_CENTRE = {
    "slug": "centrum-macierzy",
    "order": "8",
    "is_active": "on",
    "name_pl": "Centrum macierzy",
    "summary_pl": "Ósme centrum.",
}
NEWS_POST = {
    "slug": "walne-zgromadzenie-matrycy",
    "is_published": "on",
    "published_at_0": "2026-01-15",
    "published_at_1": "10:00:00",
    "title_pl": "Walne zgromadzenie",
    "body_pl": "Zapraszamy członków klastra.",
}

# Columns, in the order of ROLES: anon = visitor, user, memA = member_a, admA = admin_a,
# admB = admin_b, cX / cX- = centre_coord_x with / without MFA, CC / CC- = cluster_coord with /
# without MFA, su = superuser.
# fmt: off
TABLE = [
    # --- site pages: public, read-only --------------------------------------------------------
    #         anon user memA admA admB cX   cX-  CC   CC-  su
    Row("healthz", note="Answers any method; it reads SELECT 1 and changes nothing.",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="200  200  200  200  200  200  200  200  200  200"),
    Row("switch_language", kwargs=lambda w: {"language": "en"},
        note="A GET link on purpose (cacheable pages have no CSRF token); sets a cookie only.",
        get= "302  302  302  302  302  302  302  302  302  302",
        post="302  302  302  302  302  302  302  302  302  302"),
    Row("logo", kwargs=lambda w: {"path": w.logo_name},
        note="Public files re-encoded on upload; served by django.views.static.serve.",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="200  200  200  200  200  200  200  200  200  200"),
    Row("logo", variant="outside logos/", kwargs=lambda w: {"path": "../private.txt"},
        note="The rest of MEDIA_ROOT is never served: a path out of logos/ is refused.",
        get= "400  400  400  400  400  400  400  400  400  400",
        post="400  400  400  400  400  400  400  400  400  400"),
    Row("home",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("pages:about",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("pages:news_list",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("pages:news_detail", kwargs=lambda w: {"slug": w.news.slug},
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("pages:news_detail", variant="draft", kwargs=lambda w: {"slug": w.news_draft.slug},
        get= "404  404  404  404  404  404  404  404  404  404",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("projects:index",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("projects:call_list",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("projects:call_detail", kwargs=lambda w: {"slug": w.call.slug},
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("projects:call_detail", variant="draft", kwargs=lambda w: {"slug": w.call_draft.slug},
        get= "404  404  404  404  404  404  404  404  404  404",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("projects:call_feed", note="Atom: published calls only.",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("projects:call_feed_centre", kwargs=lambda w: {"centre": w.centre_x.slug},
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),

    # --- projects: a proposal is its lead's (A) and its partners' (B); anybody else: 404 ------
    #         anon user memA admA admB cX   cX-  CC   CC-  su
    Row("projects:proposal_list",
        get= "302L 200  200  200  200  200  200  200  200  200",
        post="302L 405  405  405  405  405  405  405  405  405"),
    Row("projects:proposal_create", data=new_proposal, creates=True,
        note="Admins of active members draft; anybody else is told why (302, nothing stored).",
        get= "302L 302  302  200  200  302  302  302  302  302",
        post="302L 302  302  302  400  302  302  302  302  302"),
    Row("projects:proposal_detail", kwargs=proposal_a,
        get= "302L 404  200  200  200  404  404  404  404  404",
        post="302L 405  405  405  405  405  405  405  405  405"),
    Row("projects:proposal_edit", kwargs=proposal_a,
        note="The lead's admins edit; a plain member or a partner sees a 403.",
        get= "302L 404  403  200  403  404  404  404  404  404",
        post="302L 404  403  400  403  404  404  404  404  404"),
    Row("projects:partner_invite", kwargs=proposal_a, creates=True,
        data=lambda w: {"organisation": w.org_private.pk, "role": "partner"},
        note="The lead's admins invite an active member; a plain member or a partner: 403.",
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  403  302  403  404  404  404  404  404"),
    Row("projects:partner_answer",
        kwargs=lambda w: {"pk": w.proposal_inviting_b.pk,
                          "partner_id": w.invitation_of_b_to_proposal.pk},
        data=lambda w: {"answer": "confirm"},
        note="B's admin answers; anybody else of the proposal is told no (302, nothing changes).",
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  302  302  302  404  404  404  404  404"),
    Row("projects:partner_remove",
        kwargs=lambda w: {"pk": w.proposal_a.pk, "partner_id": w.partnership_b.pk},
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  302  302  302  404  404  404  404  404"),
    Row("projects:document_upload", kwargs=proposal_a,
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  403  400  403  404  404  404  404  404"),
    Row("projects:document_download",
        kwargs=lambda w: {"pk": w.proposal_a.pk, "document_id": w.document_a.pk},
        note="The people of the proposal, and the cluster office with its second factor.",
        get= "302L 404  200  200  200  404  404  200  404  200",
        post="302L 405  405  405  405  405  405  405  405  405"),
    Row("projects:document_remove",
        kwargs=lambda w: {"pk": w.proposal_a.pk, "document_id": w.document_a.pk},
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  302  302  302  404  404  404  404  404"),
    Row("projects:submit", kwargs=proposal_a,
        note="Only the lead's admins submit; the others get the service's refusal (302).",
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  302  302  302  404  404  404  404  404"),
    Row("projects:withdraw", kwargs=proposal_a,
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  302  302  302  404  404  404  404  404"),
    Row("events:list",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("events:detail", kwargs=lambda w: {"slug": w.event.slug},
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("events:detail", variant="draft", kwargs=lambda w: {"slug": w.event_draft.slug},
        get= "404  404  404  404  404  404  404  404  404  404",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("events:ics", kwargs=lambda w: {"slug": w.event.slug},
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("events:ics", variant="draft", kwargs=lambda w: {"slug": w.event_draft.slug},
        get= "404  404  404  404  404  404  404  404  404  404",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("events:feed",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("events:centre_feed", kwargs=slug_x,
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("event_image", kwargs=lambda w: {"path": w.event_image_name},
        note="Public images re-encoded on upload; served by django.views.static.serve.",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="200  200  200  200  200  200  200  200  200  200"),
    Row("event_image", variant="outside events/", kwargs=lambda w: {"path": "../private.txt"},
        get= "400  400  400  400  400  400  400  400  400  400",
        post="400  400  400  400  400  400  400  400  400  400"),

    # --- events: registering, My events, the links from the mails -----------------------------
    #         anon user memA admA admB cX   cX-  CC   CC-  su
    Row("events:register", kwargs=lambda w: {"slug": w.event.slug}, creates=True,
        note="Anyone logged in may register for a public event; member_a, registered already, "
             "is told so (302 with a message).",
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 302  302  302  302  302  302  302  302  302"),
    Row("events:register", variant="draft", kwargs=lambda w: {"slug": w.event_draft.slug},
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  404  404  404  404  404  404  404  404"),
    Row("events:my",
        get= "302L 200  200  200  200  200  200  200  200  200",
        post="302L 405  405  405  405  405  405  405  405  405"),
    Row("events:cancel", kwargs=lambda w: {"pk": w.registration_a.pk},
        note="member_a's own registration; for everybody else it does not exist.",
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  302  404  404  404  404  404  404  404"),
    Row("events:cancel_link", kwargs=lambda w: {"token": cancel_token(w.registration_a)},
        note="The signed token is the credential: works logged out, for whoever holds it; "
             "GET only asks, POST cancels.",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="200  200  200  200  200  200  200  200  200  200"),
    Row("events:cancel_link", variant="already cancelled",
        kwargs=lambda w: {"token": cancel_token(w.registration_cancelled)},
        get= "410  410  410  410  410  410  410  410  410  410",
        post="410  410  410  410  410  410  410  410  410  410"),
    Row("events:cancel_link", variant="tampered token", kwargs=lambda w: {"token": BOGUS_TOKEN},
        get= "400  400  400  400  400  400  400  400  400  400",
        post="400  400  400  400  400  400  400  400  400  400"),
    Row("event_check_in", kwargs=lambda w: {"token": check_in_token(w.registration_a)},
        note="The cluster office's staff with a second factor, no one else, before the code is "
             "even read. No language prefix, so its redirects go to the browser's language.",
        get= "302  403  403  403  403  403  403  200  302  200",
        post="302  403  403  403  403  403  403  200  302  200"),
    Row("event_check_in", variant="tampered token", kwargs=lambda w: {"token": BOGUS_TOKEN},
        get= "302  403  403  403  403  403  403  400  302  400",
        post="302  403  403  403  403  403  403  400  302  400"),
    Row("pages:my_calendar", creates=True,
        note="The address of one's own calendar feed; POST makes a new one.",
        get= "302L 200  200  200  200  200  200  200  200  200",
        post="302L 302  302  302  302  302  302  302  302  302"),
    Row("pages:personal_calendar",
        kwargs=lambda w: {"token": personal_calendar_token(w.member_a)},
        note="The signed address is the credential: calendar applications fetch it logged out.",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    # --- privacy: the notice, and one's own data behind "confirm it is you" ------------------
    #         anon user memA admA admB cX   cX-  CC   CC-  su
    Row("pages:privacy",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("pages:your_data",
        get= "302L 200  200  200  200  200  200  200  200  200",
        post="302L 405  405  405  405  405  405  405  405  405"),
    # Everyone logged in is first asked to confirm it is them (by password, or by the second
    # factor when they have one); the rows' sessions never did. The pages after that are
    # tested in tests/pages/test_privacy_*.py.
    Row("pages:data_export_request", creates=True,
        get= "302L 302R 302R 302R 302R 302F 302R 302F 302R 302F",
        post="302L 302R 302R 302R 302R 302F 302R 302F 302R 302F"),
    Row("pages:data_export_download", kwargs=lambda w: {"token": w.data_export.token},
        get= "302L 302R 302R 302R 302R 302F 302R 302F 302R 302F",
        post="302L 302R 302R 302R 302R 302F 302R 302F 302R 302F"),
    Row("pages:account_delete",
        get= "302L 302R 302R 302R 302R 302F 302R 302F 302R 302F",
        post="302L 302R 302R 302R 302R 302F 302R 302F 302R 302F"),
    Row("pages:personal_calendar", variant="tampered token",
        kwargs=lambda w: {"token": BOGUS_TOKEN},
        get= "404  404  404  404  404  404  404  404  404  404",
        post="405  405  405  405  405  405  405  405  405  405"),

    # --- members: the directory and an organisation's own pages -------------------------------
    #         anon user memA admA admB cX   cX-  CC   CC-  su
    Row("pages:directory",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("pages:organisation_detail", kwargs=slug_a,
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("pages:organisation_detail", variant="not listed",
        kwargs=lambda w: {"slug": w.org_private.slug},
        note="An organisation that chose not to be listed does not exist for the public.",
        get= "404  404  404  404  404  404  404  404  404  404",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("members:register", data=organisation_application, creates=True,
        note="Any verified account may apply; the applicant becomes the first admin.",
        get= "302L 200  200  200  200  200  200  200  200  200",
        post="302L 302  302  302  302  302  302  302  302  302"),
    Row("pages:my_cluster",
        get= "302L 200  200  200  200  200  200  200  200  200",
        post="302L 405  405  405  405  405  405  405  405  405"),
    Row("members:organisation_edit", kwargs=slug_a,
        note="Only the organisation's admins learn that its edit page exists.",
        get= "302L 404  404  200  404  404  404  404  404  404",
        post="302L 404  404  200  404  404  404  404  404  404"),
    Row("members:colleagues", kwargs=slug_a,
        get= "302L 404  200  200  404  404  404  404  404  404",
        post="302L 405  405  405  405  405  405  405  405  405"),
    Row("members:invitation_create", kwargs=slug_a, creates=True,
        data=lambda w: {
            "email": "kolejny.lekarz@szpital-a.example",
            "role": "member",
            "submission_key": SUBMISSION_KEY,
        },
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  403  302  404  404  404  404  404  404"),
    Row("members:invitation_revoke",
        kwargs=lambda w: {"slug": w.org_a.slug, "invitation_id": w.invitation_new_address.pk},
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  403  302  404  404  404  404  404  404"),
    Row("members:membership_role", data=lambda w: {"role": "admin"},
        kwargs=lambda w: {"slug": w.org_a.slug, "membership_id": w.membership_member_a.pk},
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  403  302  404  404  404  404  404  404"),
    Row("members:membership_remove",
        kwargs=lambda w: {"slug": w.org_a.slug, "membership_id": w.membership_member_a.pk},
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  403  302  404  404  404  404  404  404"),
    Row("members:invitation_revoke", variant="B's invitation through A's URL",
        kwargs=lambda w: {"slug": w.org_a.slug, "invitation_id": w.invitation_of_b.pk},
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  403  404  404  404  404  404  404  404"),
    Row("members:membership_remove", variant="B's admin through A's URL",
        kwargs=lambda w: {"slug": w.org_a.slug, "membership_id": w.membership_admin_b.pk},
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  403  404  404  404  404  404  404  404"),
    Row("members:membership_role", variant="B's admin through A's URL",
        data=lambda w: {"role": "member"},
        kwargs=lambda w: {"slug": w.org_a.slug, "membership_id": w.membership_admin_b.pk},
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  403  404  404  404  404  404  404  404"),
    Row("members:membership_leave", kwargs=slug_a,
        note="The last admin may not leave: a message, and nothing changes.",
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  302  302  404  404  404  404  404  404"),
    Row("members:invitation_accept", variant="for a new address", creates=True,
        kwargs=lambda w: {"token": invitation_token(w.invitation_new_address)},
        data=lambda w: {
            "full_name": "Nowy Kolega",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
        note="Logged out: a form that creates the account and joins. Anyone logged in has "
             "another address: 403 on accepting.",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="302  403  403  403  403  403  403  403  403  403"),
    Row("members:invitation_accept", variant="for user's address", creates=True,
        kwargs=lambda w: {"token": invitation_token(w.invitation_for_user)},
        note="Logged out: the address has an account, so log in first.",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="302L 302  403  403  403  403  403  403  403  403"),
    Row("members:invitation_accept", variant="revoked",
        kwargs=lambda w: {"token": invitation_token(w.invitation_revoked)},
        note="A withdrawn link no longer works, for anybody.",
        get= "410  410  410  410  410  410  410  410  410  410",
        post="410  410  410  410  410  410  410  410  410  410"),
    Row("members:invitation_accept", variant="tampered token",
        kwargs=lambda w: {"token": BOGUS_TOKEN},
        get= "400  400  400  400  400  400  400  400  400  400",
        post="400  400  400  400  400  400  400  400  400  400"),

    # --- competence centres -------------------------------------------------------------------
    #         anon user memA admA admB cX   cX-  CC   CC-  su
    Row("competence_centres:list",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("competence_centres:detail", kwargs=slug_x,
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("competence_centres:request", kwargs=lambda w: {"slug": w.other_centre.slug},
        creates=True,
        data=lambda w: {"organisation": w.org_a.pk, "motivation": "Systemy szpitalne."},
        note="Only A's admin may ask for A; B's admin sends A's id and gets the form back (400); "
             "people without an organisation to administer are told so (302).",
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 302  302  302  400  302  302  302  302  302"),
    Row("competence_centres:leave",
        kwargs=lambda w: {"slug": w.centre_x.slug, "participation_id": w.participation_a.pk},
        note="A plain member is told only admins can (302, nothing changes); outsiders 404.",
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  302  302  404  404  404  404  404  404"),
    Row("competence_centres:leave", variant="through another centre's URL",
        kwargs=lambda w: {"slug": w.other_centre.slug, "participation_id": w.participation_a.pk},
        get= "302L 405  405  405  405  405  405  405  405  405",
        post="302L 404  404  404  404  404  404  404  404  404"),
    Row("competence_centres:coordination", kwargs=slug_x,
        get= "302L 403  403  403  403  200  302M 200  302M 200",
        post="302L 403  403  403  403  405  302M 405  302M 405"),
    Row("competence_centres:coordination", variant="another centre",
        kwargs=lambda w: {"slug": w.other_centre.slug},
        note="X's coordinators coordinate X only: 403, before any talk of MFA.",
        get= "302L 403  403  403  403  403  403  200  302M 200",
        post="302L 403  403  403  403  403  403  405  302M 405"),
    Row("competence_centres:contacts_csv", kwargs=slug_x,
        get= "302L 403  403  403  403  200  302M 200  302M 200",
        post="302L 403  403  403  403  405  302M 405  302M 405"),
    Row("competence_centres:decide",
        kwargs=lambda w: {"slug": w.centre_x.slug, "participation_id": w.request_b.pk},
        data=lambda w: {f"p{w.request_b.pk}-decision": "accept"},
        get= "302L 403  403  403  403  405  302M 405  302M 405",
        post="302L 403  403  403  403  302  302M 302  302M 302"),
    Row("competence_centres:decide", variant="another centre's request through X's URL",
        kwargs=lambda w: {"slug": w.centre_x.slug, "participation_id": w.request_b_other.pk},
        data=lambda w: {f"p{w.request_b_other.pk}-decision": "accept"},
        get= "302L 403  403  403  403  405  302M 405  302M 405",
        post="302L 403  403  403  403  404  302M 404  302M 404"),
    Row("competence_centres:decide", variant="another centre",
        kwargs=lambda w: {"slug": w.other_centre.slug, "participation_id": w.request_b_other.pk},
        data=lambda w: {f"p{w.request_b_other.pk}-decision": "accept"},
        get= "302L 403  403  403  403  403  403  405  302M 405",
        post="302L 403  403  403  403  403  403  302  302M 302"),

    # --- notifications ------------------------------------------------------------------------
    #         anon user memA admA admB cX   cX-  CC   CC-  su
    Row("notifications:list",
        get= "302L 200  200  200  200  200  200  200  200  200",
        post="302L 405  405  405  405  405  405  405  405  405"),
    Row("notifications:open", kwargs=lambda w: {"pk": w.notification.pk},
        note="member_a's own notification; everybody else's is a 404.",
        get= "302L 404  302  404  404  404  404  404  404  404",
        post="302L 405  405  405  405  405  405  405  405  405"),
    Row("notifications:preferences", creates=True,
        note="An empty form switches every optional category off: one row per category.",
        get= "302L 200  200  200  200  200  200  200  200  200",
        post="302L 302  302  302  302  302  302  302  302  302"),
    Row("notifications:unsubscribe", creates=True,
        kwargs=lambda w: unsubscribe_kwargs(w, "funding_calls"),
        note="The signed token is the credential: works logged out, for whoever holds it.",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="200  200  200  200  200  200  200  200  200  200"),
    Row("notifications:unsubscribe", variant="essential category",
        kwargs=lambda w: unsubscribe_kwargs(w, "account"),
        note="Correctly signed, but security mails cannot be switched off.",
        get= "400  400  400  400  400  400  400  400  400  400",
        post="400  400  400  400  400  400  400  400  400  400"),
    Row("notifications:unsubscribe", variant="tampered token",
        kwargs=lambda w: {"token": BOGUS_TOKEN},
        get= "400  400  400  400  400  400  400  400  400  400",
        post="400  400  400  400  400  400  400  400  400  400"),

    # --- allauth: accounts --------------------------------------------------------------------
    #         anon user memA admA admB cX   cX-  CC   CC-  su
    Row("account_login",
        get= "200  302  302  302  302  302  302  302  302  302",
        post="200  302  302  302  302  302  302  302  302  302"),
    Row("account_logout",
        get= "302  200  200  200  200  200  200  200  200  200",
        post="302  302  302  302  302  302  302  302  302  302"),
    Row("account_inactive",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("account_signup", creates=True,
        data=lambda w: {
            "email": "nowa.osoba@example.org",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
        get= "200  302  302  302  302  302  302  302  302  302",
        post="302  302  302  302  302  302  302  302  302  302"),
    Row("account_reauthenticate",
        get= "302L 200  200  200  200  200  200  200  200  200",
        post="302L 200  200  200  200  200  200  200  200  200"),
    Row("account_request_reauthentication_code",
        note="Reauthenticating by a code mailed to a verified address; empty POST: form errors.",
        get= "302L 200  200  200  200  200  200  200  200  200",
        post="302L 200  200  200  200  200  200  200  200  200"),
    Row("account_confirm_reauthentication_code", note="No code was asked for: ask first.",
        get= "302L 302  302  302  302  302  302  302  302  302",
        post="302L 302  302  302  302  302  302  302  302  302"),
    Row("account_email", creates=True,
        data=lambda w: {"action_add": "", "email": "nowy.adres@example.org"},
        note="Adds the address (to confirm, then it replaces the old one: ACCOUNT_CHANGE_EMAIL). "
             "allauth refuses an unconfirmed address on an account with MFA: the form says so.",
        get= "302L 200  200  200  200  200  200  200  200  200",
        post="302L 302  302  302  302  200  302  200  302  200"),
    Row("account_email_verification_sent",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("account_change_password",
        get= "302L 200  200  200  200  200  200  200  200  200",
        post="302L 200  200  200  200  200  200  200  200  200"),
    Row("account_set_password",
        note="Everybody here has a password: sent to change it instead.",
        get= "302L 302  302  302  302  302  302  302  302  302",
        post="302L 302  302  302  302  302  302  302  302  302"),
    Row("account_reset_password",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="200  200  200  200  200  200  200  200  200  200"),
    Row("account_reset_password_done",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("account_reset_password_from_key", variant="member_a's key",
        kwargs=password_reset_kwargs,
        note="A valid key is moved into the session and the link redirects to a key-less URL.",
        get= "302  302  302  302  302  302  302  302  302  302",
        post="302  302  302  302  302  302  302  302  302  302"),
    Row("account_reset_password_from_key", variant="bogus key",
        kwargs=lambda w: {"uidb36": user_pk_to_url_str(w.member_a), "key": "abc-0123456789abcdef"},
        get= "200  200  200  200  200  200  200  200  200  200",
        post="200  200  200  200  200  200  200  200  200  200"),
    Row("account_reset_password_from_key_done",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="405  405  405  405  405  405  405  405  405  405"),
    Row("account_confirm_login_code",
        note="Only during a login by code: nobody here has one pending.",
        get= "302L 302  302  302  302  302  302  302  302  302",
        post="302L 302  302  302  302  302  302  302  302  302"),
    Row("account_confirm_email", variant="user's second address",
        kwargs=lambda w: {"key": EmailConfirmationHMAC(w.unverified_address).key},
        note="The key is the credential: whoever holds it confirms the address.",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="302  302  302  302  302  302  302  302  302  302"),
    Row("account_confirm_email", variant="bogus key",
        kwargs=lambda w: {"key": "MQ:1tWbC4:bogus-key"},
        note="GET explains that the link is invalid or expired.",
        get= "200  200  200  200  200  200  200  200  200  200",
        post="404  404  404  404  404  404  404  404  404  404"),

    # --- allauth: two-factor authentication ----------------------------------------------------
    #         anon user memA admA admB cX   cX-  CC   CC-  su
    Row("mfa_index",
        get= "302L 200  200  200  200  200  200  200  200  200",
        post="302L 405  405  405  405  405  405  405  405  405"),
    Row("mfa_authenticate", note="Only during a login that waits for its second factor.",
        get= "302  302  302  302  302  302  302  302  302  302",
        post="302  302  302  302  302  302  302  302  302  302"),
    Row("mfa_reauthenticate", note="Without a second factor: sent to reauthenticate by password.",
        get= "302L 302  302  302  302  200  302  200  302  200",
        post="302L 302  302  302  302  200  302  200  302  200"),
    Row("mfa_activate_totp", creates=True,
        note="A session of the matrix has not just logged in: reauthenticate first (302).",
        get= "302L 302  302  302  302  302  302  302  302  302",
        post="302L 302  302  302  302  302  302  302  302  302"),
    Row("mfa_deactivate_totp",
        note="Nothing to deactivate without TOTP (404); with it, reauthenticate first.",
        get= "302L 404  404  404  404  302  404  302  404  302",
        post="302L 404  404  404  404  302  404  302  404  302"),
    Row("mfa_view_recovery_codes", note="Nobody here has generated recovery codes.",
        get= "302L 404  404  404  404  404  404  404  404  404",
        post="302L 405  405  405  405  405  405  405  405  405"),
    Row("mfa_generate_recovery_codes", creates=True,
        get= "302L 302  302  302  302  302  302  302  302  302",
        post="302L 302  302  302  302  302  302  302  302  302"),
    Row("mfa_download_recovery_codes",
        get= "302L 404  404  404  404  404  404  404  404  404",
        post="302L 404  404  404  404  404  404  404  404  404"),

    # --- ADMIN ROWS: the admin's index and five pages for every registered model ---------------
    #         anon user memA admA admB cX   cX-  CC   CC-  su
    # Only staff with a second factor pass the admin site's own check; everybody else is sent
    # to its login (which forwards to the portal's). Then each model's permissions decide.
    Row("admin:index",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),

    # Groups carry permissions: only the superuser.
    Row("admin:auth_group_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:auth_group_add",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:auth_group_add", variant="a group", creates=True,
        data=lambda w: {"name": "Recenzenci macierzy"},
        note="The superuser adds a group: saved, back to the list.",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 302"),
    Row("admin:auth_group_change", kwargs=obj("coordinators_group"),
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:auth_group_history", kwargs=obj("coordinators_group"),
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:auth_group_delete", kwargs=obj("coordinators_group"),
        data=lambda w: DELETE_CONFIRMED,
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 302"),

    # E-mail addresses log people in: only the superuser.
    Row("admin:account_emailaddress_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:account_emailaddress_add",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:account_emailaddress_add", variant="an address", creates=True,
        data=lambda w: {"user": w.member_a.pk, "email": "trzeci.adres@example.org"},
        note="The superuser adds an address to an account: saved, back to the list.",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 302"),
    Row("admin:account_emailaddress_change", kwargs=lambda w: {
            "object_id": w.member_a.emailaddress_set.get().pk},
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:account_emailaddress_history", kwargs=lambda w: {
            "object_id": w.member_a.emailaddress_set.get().pk},
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:account_emailaddress_delete", kwargs=lambda w: {
            "object_id": w.member_a.emailaddress_set.get().pk},
        data=lambda w: DELETE_CONFIRMED,
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 302"),

    # Second factors: the superuser lists them and deletes a lost one; nobody reads, sets or
    # changes a secret here.
    Row("admin:mfa_authenticator_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:mfa_authenticator_add",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 403",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),
    Row("admin:mfa_authenticator_change", kwargs=obj("authenticator"),
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),
    Row("admin:mfa_authenticator_history", kwargs=obj("authenticator"),
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:mfa_authenticator_delete", kwargs=obj("authenticator"),
        data=lambda w: DELETE_CONFIRMED,
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 302"),

    # Users: coordinators look, never change.
    Row("admin:members_user_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:members_user_add",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:members_user_add", variant="an account", creates=True,
        data=lambda w: NEW_ACCOUNT,
        note="The superuser makes an account: saved, on to its change page.",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 302"),
    Row("admin:members_user_change", kwargs=obj("member_a"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:members_user_history", kwargs=obj("member_a"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:members_user_delete", kwargs=obj("member_a"), data=lambda w: DELETE_CONFIRMED,
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 302"),

    # Organisations: coordinators edit profiles and decide (status read-only); nobody adds
    # one beside the application form, and members leave by resigning, not by deletion.
    Row("admin:members_organisation_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:members_organisation_add",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:members_organisation_add", variant="an organisation", creates=True,
        data=lambda w: {
            **organisation_application(w),
            "slug": "uniwersytet-medyczny-w-matrycy",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
        note="The superuser adds an organisation by hand: saved, back to the list.",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 302"),
    Row("admin:members_organisation_change", kwargs=obj("org_a"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:members_organisation_history", kwargs=obj("org_a"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:members_organisation_delete", kwargs=obj("org_a"),
        data=lambda w: DELETE_CONFIRMED,
        note="A's participations and proposals are history nobody may delete, so A cannot go "
             "either: the page names what protects it (200), and nothing is deleted.",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),

    # Invitations: read-only records, created only by an organisation's admins.
    Row("admin:members_invitation_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:members_invitation_add",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 403",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),
    Row("admin:members_invitation_change", kwargs=obj("invitation_new_address"),
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 302"),
    Row("admin:members_invitation_history", kwargs=obj("invitation_new_address"),
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:members_invitation_delete", kwargs=obj("invitation_new_address"),
        data=lambda w: DELETE_CONFIRMED,
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 302"),

    # Centres: coordinators edit texts and name coordinators; the seven are seeded.
    Row("admin:competence_centres_competencecentre_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:competence_centres_competencecentre_add",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:competence_centres_competencecentre_add", variant="a centre", creates=True,
        data=lambda w: NEW_CENTRE,
        note="The superuser adds an eighth centre: saved, back to the list.",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 302"),
    Row("admin:competence_centres_competencecentre_change", kwargs=obj("centre_x"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:competence_centres_competencecentre_history", kwargs=obj("centre_x"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:competence_centres_competencecentre_delete", kwargs=obj("centre_x"),
        data=lambda w: DELETE_CONFIRMED,
        note="Its participations are history nobody may delete, so the centre cannot go either.",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),

    # Participations: decided through actions; never added or deleted here, by anybody.
    Row("admin:competence_centres_centreparticipation_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:competence_centres_centreparticipation_add",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 403",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),
    Row("admin:competence_centres_centreparticipation_change", kwargs=obj("request_b"),
        note="Every field is read-only: saving changes nothing.",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 302  302A 302"),
    Row("admin:competence_centres_centreparticipation_history", kwargs=obj("request_b"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:competence_centres_centreparticipation_delete", kwargs=obj("request_b"),
        data=lambda w: DELETE_CONFIRMED,
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 403",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),

    # Events: the cluster office runs them.
    Row("admin:events_event_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:events_event_add",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:events_event_add", variant="an event", creates=True, data=lambda w: EVENT,
        note="A coordinator adds a draft event: saved, back to the list.",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 302  302A 302"),
    Row("admin:events_event_change", kwargs=obj("event"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:events_event_history", kwargs=obj("event"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:events_event_delete", kwargs=obj("event"), data=lambda w: DELETE_CONFIRMED,
        note="The event has registrations, which the Coordinators group may not delete.",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 302"),

    # Registrations: the cluster office registers by hand and acts through the actions;
    # rows are history, which only superusers may delete.
    Row("admin:events_registration_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:events_registration_add",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:events_registration_add", variant="by hand", creates=True,
        data=lambda w: {"event": w.event.pk, "user": w.admin_b.pk, "organisation": w.org_b.pk},
        note="A coordinator gives B's admin a seat by hand: saved, back to the list.",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 302  302A 302"),
    Row("admin:events_registration_change", kwargs=obj("registration_a"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 302  302A 302"),
    Row("admin:events_registration_history", kwargs=obj("registration_a"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:events_registration_delete", kwargs=obj("registration_a"),
        data=lambda w: DELETE_CONFIRMED,
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 302"),

    # Projects: the office publishes calls and decides proposals; applicants write them.
    Row("admin:projects_fundingcall_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:projects_fundingcall_add",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:projects_fundingcall_add", variant="a call", creates=True,
        data=lambda w: FUNDING_CALL,
        note="A coordinator adds a draft call (no criteria of its own): saved, back to the list.",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 302  302A 302"),
    Row("admin:projects_fundingcall_change", kwargs=obj("call"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:projects_fundingcall_history", kwargs=obj("call"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:projects_fundingcall_delete", kwargs=obj("call_draft"),
        data=lambda w: DELETE_CONFIRMED,
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 302  302A 302"),
    Row("admin:projects_projectproposal_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:projects_projectproposal_changelist", variant="assign a reviewer",
        creates=True, data=assign_cluster_coord,
        note="The action's confirmation page sent: the coordinator reviews a proposal.",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 302  302A 302"),
    Row("admin:projects_projectproposal_add", note="Proposals are written by applicants.",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 403",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),
    Row("admin:projects_projectproposal_change", kwargs=obj("proposal_a"),
        note="View-only: decisions are actions; a POST is refused.",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),
    Row("admin:projects_projectproposal_history", kwargs=obj("proposal_a"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:projects_projectproposal_delete", kwargs=obj("proposal_a"),
        data=lambda w: DELETE_CONFIRMED, note="Proposals are history: never deleted.",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 403",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),
    Row("admin:projects_review_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:projects_review_add", note="Reviews come from assignment.",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 403",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),
    Row("admin:projects_review_change", kwargs=obj("review"),
        note="Its reviewer writes it (a bare POST misses the scores: 200 with errors); "
             "the superuser only reads someone else's review.",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 403"),
    Row("admin:projects_review_change", variant="written", kwargs=obj("review"),
        creates=True, data=written_review,
        note="Its reviewer sends every score: saved (302); the superuser only reads it (403).",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 302  302A 403"),
    Row("admin:projects_review_history", kwargs=obj("review"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:projects_review_delete", kwargs=obj("review"), data=lambda w: DELETE_CONFIRMED,
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 403",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),

    # The outbox: a record of what was sent, read-only; coordinators retry failures.
    Row("admin:notifications_notification_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:notifications_notification_add",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 403",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),
    Row("admin:notifications_notification_change", kwargs=obj("notification"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 302  302A 302"),
    Row("admin:notifications_notification_history", kwargs=obj("notification"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:notifications_notification_delete", kwargs=obj("notification"),
        data=lambda w: DELETE_CONFIRMED,
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 302"),

    # Preferences are the users' own: coordinators may look.
    Row("admin:notifications_notificationpreference_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:notifications_notificationpreference_add",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:notifications_notificationpreference_add", variant="a preference",
        creates=True,
        data=lambda w: {"user": w.member_a.pk, "category": "proposals"},
        note="The superuser records a choice for someone: saved, back to the list.",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 302"),
    Row("admin:notifications_notificationpreference_change", kwargs=obj("preference"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:notifications_notificationpreference_history", kwargs=obj("preference"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:notifications_notificationpreference_delete", kwargs=obj("preference"),
        data=lambda w: DELETE_CONFIRMED,
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 302"),

    # Site settings: one row, edited, never added or deleted.
    Row("admin:pages_sitesettings_changelist", note="Opens the one row's change page.",
        get= "302A 302A 302A 302A 302A 302A 302A 302  302A 302",
        post="302A 302A 302A 302A 302A 302A 302A 302  302A 302"),
    Row("admin:pages_sitesettings_add",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 403",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),
    Row("admin:pages_sitesettings_change", kwargs=obj("site_settings"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:pages_sitesettings_history", kwargs=obj("site_settings"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:pages_sitesettings_delete", kwargs=obj("site_settings"),
        data=lambda w: DELETE_CONFIRMED,
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 403",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),

    # News: the cluster office writes it.
    Row("admin:pages_newspost_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    # The audit log: superusers read it; nobody adds, changes or deletes an entry.
    Row("admin:core_auditentry_changelist",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:core_auditentry_add",
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 403",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),
    Row("admin:core_auditentry_change", kwargs=obj("audit_entry"),
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),
    Row("admin:core_auditentry_history", kwargs=obj("audit_entry"),
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 200"),
    Row("admin:core_auditentry_delete", kwargs=obj("audit_entry"),
        data=lambda w: DELETE_CONFIRMED,
        get= "302A 302A 302A 302A 302A 302A 302A 403  302A 403",
        post="302A 302A 302A 302A 302A 302A 302A 403  302A 403"),
    Row("admin:pages_newspost_add",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:pages_newspost_add", variant="a post", creates=True, data=lambda w: NEWS_POST,
        note="A coordinator writes a news post: saved, back to the list.",
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 302  302A 302"),
    Row("admin:pages_newspost_change", kwargs=obj("news"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:pages_newspost_history", kwargs=obj("news"),
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 200  302A 200"),
    Row("admin:pages_newspost_delete", kwargs=obj("news"), data=lambda w: DELETE_CONFIRMED,
        get= "302A 302A 302A 302A 302A 302A 302A 200  302A 200",
        post="302A 302A 302A 302A 302A 302A 302A 302  302A 302"),
]
# fmt: on


@pytest.fixture
def world(settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_DEMO_MODE = False  # the second-factor cells hold outside demo mode
    return build_world(tmp_path)


def test_every_cell_gives_the_status_the_table_declares(world):
    count, differences = run_matrix(TABLE, world)

    assert not differences, describe(differences, count)


def test_every_named_url_of_the_portal_has_a_row():
    names = {row.name for row in TABLE if not row.name.startswith("admin:")}
    portal = portal_url_names()

    assert sorted(portal - names) == [], "named URLs without a row in the table"
    assert sorted(names - portal) == [], "rows for URLs the portal no longer has"


def test_every_model_in_the_admin_has_its_rows():
    names = {row.name for row in TABLE if row.name.startswith("admin:")}
    expected = admin_url_names()

    assert sorted(expected - names) == [], "admin pages without a row in the table"
    assert sorted(names - expected) == [], "rows for admin pages that no longer exist"


def test_no_two_rows_share_a_name_and_variant():
    labels = [row.label for row in TABLE]

    assert sorted(label for label in set(labels) if labels.count(label) > 1) == []


ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
OUTSIDERS = ("visitor", "user")


def test_no_page_shows_an_outsider_anybodys_account_address_or_a_private_contact(world, settings):
    """Visitors and people of no organisation see, on every page of the table they may open,
    no account address but their own and no contact an organisation kept private. (Pages
    behind a credential link are its recipient's: an invitation shows the invited address.)"""
    from django.test import Client

    world.org_a.contact_email, world.org_a.contact_is_public = "biuro@szpital-a.example", True
    world.org_a.save()
    private = "sekretariat@klinika-b.example"
    world.org_b.contact_email, world.org_b.contact_is_public = private, False
    world.org_b.save()
    accounts = {user.email.lower() for user in User.objects.all()}
    rows = [
        row
        for row in TABLE
        if not row.name.startswith("admin:") and row.name not in settings.PORTAL_CREDENTIAL_URLS
    ]
    leaks, published = [], set()
    for index, role in enumerate(ROLES_IN_ORDER):
        if role not in OUTSIDERS:
            continue
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        own = {world.users[role].email.lower()} if world.users[role] else set()
        for row in rows:
            if row.cells["GET"][index] != "200":
                continue
            response = client.get(row.url(world))
            if response.streaming:
                continue
            found = {
                a.lower() for a in ADDRESS.findall(response.content.decode("utf-8", "replace"))
            }
            leaked = (found & (accounts | {private})) - own
            published |= found & {"biuro@szpital-a.example"}
            if leaked:
                leaks.append((role, row.label, sorted(leaked)))

    assert leaks == []
    assert published, "the published contact shows: the search sees addresses"
