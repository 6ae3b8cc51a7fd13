"""Test data per app, each factory in the module of its app (members, competence_centres,
events, pages); everything is re-exported here, so `from tests.factories import X` works
whichever module defines X."""

from .competence_centres import ParticipationFactory
from .events import EventFactory
from .members import (
    DEFAULT_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    valid_nip,
)
from .pages import NewsPostFactory

__all__ = [
    "DEFAULT_PASSWORD",
    "EventFactory",
    "MembershipFactory",
    "NewsPostFactory",
    "OrganisationFactory",
    "ParticipationFactory",
    "UserFactory",
    "valid_nip",
]
