import io

import pytest
from django.core.management import call_command

from cluster_portal.pages.models import NewsPost, SiteSettings
from competence_centres.models import CentreParticipation
from events.models import Event
from members.enums import OrganisationKind
from members.models import Organisation, User

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, User, CentreParticipation, Event, NewsPost)
    }


def test_demo_data_is_a_believable_cluster_and_loads_twice_without_duplicates(client):
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first

    assert first["Organisation"] >= 25
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == set(OrganisationKind.values)
    assert Organisation.objects.values("region").distinct().count() >= 6
    assert Organisation.objects.filter(status="applied").exists()
    assert SiteSettings.load().goal_list

    # The printed logins work.
    response = client.post(
        "/en/accounts/login/", {"login": "member@demo.example", "password": "demo-password-2026"}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session
    coordinator = User.objects.get(email="coordinator@demo.example")
    assert coordinator.is_staff and coordinator.groups.filter(name="Coordinators").exists()

    home = client.get("/en/").content.decode()
    assert "No events are planned right now" not in home
    assert "No news yet." not in home
