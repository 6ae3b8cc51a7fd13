"""A hospital with its admin and a member, two centres with their coordinators, and the
cluster office."""

import pytest
from django.contrib.auth.models import Group

from competence_centres.models import CompetenceCentre
from members.enums import MembershipRole
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import centre, with_second_factor


@pytest.fixture
def telemedicine(db) -> CompetenceCentre:
    return centre("telemedicine")


@pytest.fixture
def ict(db) -> CompetenceCentre:
    return centre("ict")


@pytest.fixture
def hospital(db):
    return OrganisationFactory(
        name="Szpital Wojewódzki w Zamościu",
        city="Zamość",
        contact_name="Ewa Lis",
        contact_email="ewa.lis@szpital-zamosc.example",
        contact_phone="+48 84 677 33 33",
        contact_is_public=False,
    )


@pytest.fixture
def hospital_admin(hospital):
    return MembershipFactory(
        organisation=hospital,
        role=MembershipRole.ADMIN,
        user=UserFactory(
            email="dyrektor@szpital-zamosc.example",
            full_name="Anna Dyrektor",
            preferred_language="en",
        ),
    ).user


@pytest.fixture
def hospital_member(hospital):
    return MembershipFactory(
        organisation=hospital, user=UserFactory(email="lekarz@szpital-zamosc.example")
    ).user


@pytest.fixture
def telemedicine_coordinator(telemedicine):
    user = UserFactory(
        email="koordynator@telemedycyna.example",
        full_name="Piotr Telemedyczny",
        preferred_language="en",
    )
    telemedicine.coordinators.add(user)
    with_second_factor(user)  # the coordination page asks for it
    return user


@pytest.fixture
def ict_coordinator(ict):
    user = UserFactory(email="koordynator@ict.example", full_name="Olga Informatyczna")
    ict.coordinators.add(user)
    with_second_factor(user)
    return user


@pytest.fixture
def cluster_coordinator(db):
    user = UserFactory(email="biuro@klaster.example", full_name="Biuro Klastra", is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    with_second_factor(user)
    return user
