import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory
from tests.helpers import with_second_factor


@pytest.fixture(autouse=True)
def _english(english):
    """Every events test speaks English (the root conftest's `english`)."""


@pytest.fixture
def coordinator(db):
    """The cluster office: staff in the Coordinators group, with a second factor."""
    user = UserFactory(email="biuro@klaster.example", full_name="Biuro Klastra", is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinators"))
    with_second_factor(user)
    return user
