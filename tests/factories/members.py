"""Members, organisations and memberships that read like the cluster's own: valid
identifiers, verified addresses."""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils.text import slugify
from stdnum.pl import nip as stdnum_nip

from members.enums import MembershipRole, OrganisationKind, OrganisationStatus, Region
from members.models import Organisation, OrganisationMembership, User

DEFAULT_PASSWORD = "a-long-test-passphrase-2026"


def valid_nip(seed: int) -> str:
    """The first valid NIP at or after a number made from `seed` (some prefixes have none)."""
    body = 100_000_000 + seed * 7
    while True:
        for digit in range(10):
            if stdnum_nip.is_valid(f"{body}{digit}"):
                return f"{body}{digit}"
        body += 1


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="pl_PL")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Centrum Medyczne Nr {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = OrganisationKind.NON_PUBLIC_MEDICAL_FACILITY
    nip = factory.Sequence(valid_nip)
    city = "Lublin"
    region = Region.LUBELSKIE
    status = OrganisationStatus.ACTIVE
    joined_on = factory.LazyFunction(lambda: datetime.date(2024, 3, 1))
    description = "Szpital specjalistyczny z oddziałami kardiologii i onkologii."
    specialisations = "kardiologia, onkologia"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.MEMBER
