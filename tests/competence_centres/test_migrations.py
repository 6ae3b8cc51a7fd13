"""competence_centres/migrations: the data migrations every installation starts from."""

import pytest

from competence_centres.models import CompetenceCentre

pytestmark = pytest.mark.django_db

SEVEN_CENTRES = [
    ("extensive-medical-care", "Kompleksowa opieka medyczna", "Extensive Medical Care"),
    ("pikmed-tech", "PIKMED Tech", "PIKMED Tech"),
    ("telemedicine", "Telemedycyna", "Telemedicine"),
    ("ict", "ICT w ochronie zdrowia", "ICT"),
    ("risk-management", "Zarządzanie ryzykiem", "Risk Management"),
    ("polinnovation-med", "Polinnovation MED", "Polinnovation MED"),
    (
        "elderly-and-disabled-support",
        "Wsparcie osób starszych i z niepełnosprawnościami",
        "Support for the elderly and disabled",
    ),
]


def test_the_seven_centres_exist_after_migrate_in_order_with_both_names():
    assert [
        (centre.slug, centre.name_pl, centre.name_en) for centre in CompetenceCentre.objects.all()
    ] == SEVEN_CENTRES
