import factory

from competence_centres.enums import ParticipationStatus
from competence_centres.models import CentreParticipation, CompetenceCentre

from .members import OrganisationFactory


class ParticipationFactory(factory.django.DjangoModelFactory):
    """An organisation taking part in a centre (Telemedicine unless told), already accepted."""

    class Meta:
        model = CentreParticipation

    organisation = factory.SubFactory(OrganisationFactory)
    # The seven centres come from a data migration; the factory picks one, never makes one.
    centre = factory.LazyFunction(lambda: CompetenceCentre.objects.get(slug="telemedicine"))
    status = ParticipationStatus.ACTIVE
