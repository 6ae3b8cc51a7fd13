from .members import (
    DEFAULT_PASSWORD,
    EventFactory,
    MembershipFactory,
    NewsPostFactory,
    OrganisationFactory,
    ParticipationFactory,
    UserFactory,
    valid_nip,
)

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
