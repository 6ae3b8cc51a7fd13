"""competence_centres/models.py: the database backs the rules."""

import pytest
from django.db import IntegrityError, transaction

from competence_centres.enums import ParticipationStatus
from competence_centres.models import CentreParticipation

pytestmark = pytest.mark.django_db


def test_the_database_allows_one_open_participation_per_organisation_and_centre(
    hospital, telemedicine
):
    CentreParticipation.objects.create(organisation=hospital, centre=telemedicine)
    with pytest.raises(IntegrityError), transaction.atomic():
        CentreParticipation.objects.create(
            organisation=hospital, centre=telemedicine, status=ParticipationStatus.ACTIVE
        )
