import datetime

import factory
from django.utils import timezone

from projects.enums import Currency, PartnerRole, PartnerStatus, Programme
from projects.models import FundingCall, ProjectProposal, ProposalPartner

from .members import OrganisationFactory


class FundingCallFactory(factory.django.DjangoModelFactory):
    """A published FENG call, open since ten days, closing in thirty."""

    class Meta:
        model = FundingCall

    slug = factory.Sequence(lambda n: f"call-{n}")
    title_pl = factory.Sequence(lambda n: f"Konkurs na projekty B+R {n}")
    title_en = factory.Sequence(lambda n: f"R&D projects call {n}")
    summary_en = "Joint research and development projects in medicine."
    programme = Programme.FENG
    funder = "NCBR"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    is_published = True
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectProposal

    lead = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Zdalne monitorowanie pacjentów {n}")
    acronym = factory.Sequence(lambda n: f"TELE{n}")
    summary = "Home monitoring of heart failure patients with shared hospital dashboards."
    objectives = "Cut readmissions by a fifth within two years."
    expected_impact = "Fewer hospital days, earlier interventions."
    requested_budget = 1_500_000
    currency = Currency.PLN
    duration_months = 24
    trl = 5
    keywords = "telemedicine, cardiology"


class PartnerFactory(factory.django.DjangoModelFactory):
    """An organisation that confirmed it takes part in a proposal."""

    class Meta:
        model = ProposalPartner

    proposal = factory.SubFactory(ProposalFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = PartnerRole.PARTNER
    status = PartnerStatus.CONFIRMED
