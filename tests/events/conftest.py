import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from tests.factories import EventFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import with_second_factor


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def soon(days: float = 14, **fields):
    """A published event `days` from now, lasting eight hours."""
    starts = timezone.now() + datetime.timedelta(days=days)
    return EventFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=8), **fields)


def person(email: str | None = None, language: str = "en", **fields):
    if email:
        fields["email"] = email
    return UserFactory(preferred_language=language, **fields)


def member(email: str | None = None, language: str = "en", organisation=None, **fields):
    """Someone of an active member organisation."""
    user = person(email, language, **fields)
    MembershipFactory(user=user, organisation=organisation or OrganisationFactory())
    return user


@pytest.fixture
def coordinator(db):
    """The cluster office: staff in the Coordinators group, with a second factor."""
    user = UserFactory(email="biuro@klaster.example", full_name="Biuro Klastra", is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    with_second_factor(user)
    return user
