"""Test data per app, each factory in the module of its app (members, competence_centres,
events, projects, pages); everything is re-exported here, so `from tests.factories import X`
works whichever module defines X."""

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
from .projects import FundingCallFactory, PartnerFactory, ProposalFactory

__all__ = [
    "DEFAULT_PASSWORD",
    "EventFactory",
    "FundingCallFactory",
    "MembershipFactory",
    "NewsPostFactory",
    "OrganisationFactory",
    "ParticipationFactory",
    "PartnerFactory",
    "ProposalFactory",
    "UserFactory",
    "valid_nip",
]
