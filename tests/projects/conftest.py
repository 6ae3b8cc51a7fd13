import pytest
from django.contrib.auth.models import Group

from competence_centres.models import CompetenceCentre
from tests.factories import (
    FundingCallFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProposalFactory,
    UserFactory,
)
from tests.helpers import with_second_factor


@pytest.fixture
def telemedicine(db):
    return CompetenceCentre.objects.get(slug="telemedicine")


@pytest.fixture
def call(telemedicine):
    call = FundingCallFactory(title_en="Remote care R&D", title_pl="Telemedycyna B+R")
    call.centres.add(telemedicine)
    return call


@pytest.fixture
def lead(telemedicine):
    organisation = OrganisationFactory(name="Szpital Wojewódzki w Lublinie")
    ParticipationFactory(organisation=organisation, centre=telemedicine)
    return organisation


@pytest.fixture
def lead_admin(lead):
    return MembershipFactory(
        organisation=lead,
        role="admin",
        user__email="lider@szpital.example",
        user__full_name="Anna Liderka",
        user__preferred_language="en",
    ).user


@pytest.fixture
def lead_member(lead):
    return MembershipFactory(organisation=lead, user__email="lekarz@szpital.example").user


@pytest.fixture
def partner_org(telemedicine):
    return OrganisationFactory(name="MedTech Lublin")


@pytest.fixture
def partner_admin(partner_org):
    return MembershipFactory(
        organisation=partner_org,
        role="admin",
        user__email="admin@medtech.example",
        user__full_name="Piotr Partner",
        user__preferred_language="en",
    ).user


@pytest.fixture
def outsider(db):
    return MembershipFactory(role="admin", user__email="obcy@inna.example").user


@pytest.fixture
def coordinator(db):
    user = UserFactory(
        email="biuro@klaster.example",
        full_name="Ewa Koordynatorka",
        is_staff=True,
        preferred_language="en",
    )
    user.groups.add(Group.objects.get(name="Coordinators"))
    with_second_factor(user)
    return user


@pytest.fixture
def other_coordinator(db):
    user = UserFactory(email="biuro2@klaster.example", full_name="Jan Drugi", is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    with_second_factor(user)
    return user


@pytest.fixture
def proposal(lead, lead_admin, call, telemedicine):
    proposal = ProposalFactory(lead=lead, call=call, created_by=lead_admin)
    proposal.centres.add(telemedicine)
    return proposal
