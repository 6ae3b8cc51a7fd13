"""Funding calls: who hears of them, once, and the deadline reminders of beat."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from cluster_portal.core.errors import NotAllowed
from cluster_portal.notifications.models import Notification
from projects.services import call_publish, call_send_deadline_reminders
from tests.factories import (
    FundingCallFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProposalFactory,
)
from tests.helpers import centre, wait_for

pytestmark = pytest.mark.django_db


def member_of(organisation, email, **kwargs):
    return MembershipFactory(organisation=organisation, user__email=email, **kwargs).user


def test_publishing_tells_each_person_of_the_calls_centres_once(coordinator):
    telemedicine, ict = centre("telemedicine"), centre("ict")
    hospital, clinic, outside = (OrganisationFactory() for _ in range(3))
    for organisation in (hospital, clinic):
        ParticipationFactory(organisation=organisation, centre=telemedicine)
    ParticipationFactory(organisation=hospital, centre=ict)
    both = member_of(hospital, "oba@szpital.example")
    clinic.memberships.create(user=both, role="member")  # two organisations, two centres
    member_of(clinic, "klinika@klinika.example")
    member_of(outside, "obok@inny.example")
    suspended = OrganisationFactory(status="suspended")
    ParticipationFactory(organisation=suspended, centre=telemedicine)
    member_of(suspended, "zawieszony@szpital.example")
    call = FundingCallFactory(is_published=False, published_at=None)
    call.centres.add(telemedicine, ict)

    assert call_publish(call=call, actor=coordinator) == 2
    assert call_publish(call=call, actor=coordinator) == 0  # once published, nothing more

    recipients = sorted(
        Notification.objects.filter(kind="projects.call_published").values_list(
            "to_email", flat=True
        )
    )
    assert recipients == ["klinika@klinika.example", "oba@szpital.example"]
    call.refresh_from_db()
    assert call.is_published and call.published_at is not None


def test_a_call_without_centres_goes_to_every_active_member(coordinator):
    member_of(OrganisationFactory(), "ktokolwiek@szpital.example")
    call = FundingCallFactory(is_published=False)
    assert call_publish(call=call, actor=coordinator) == 1


def test_only_the_cluster_office_publishes(lead_admin):
    with pytest.raises(NotAllowed):
        call_publish(call=FundingCallFactory(is_published=False), actor=lead_admin)


def test_opted_out_members_get_no_announcement(coordinator):
    from cluster_portal.notifications.reading import preference_set

    person = member_of(OrganisationFactory(), "nie-chce@szpital.example")
    preference_set(user=person, category="funding_calls", email_enabled=False)
    assert call_publish(call=FundingCallFactory(is_published=False), actor=coordinator) == 0


def _call_due_in(days: float, **kwargs):
    now = timezone.now()
    return FundingCallFactory(
        opens_at=now - datetime.timedelta(days=60),
        published_at=now - datetime.timedelta(days=40),
        deadline=now + datetime.timedelta(days=days),
        **kwargs,
    )


def test_reminders_go_fourteen_and_three_days_before_once_each(lead, lead_admin):
    call = _call_due_in(13.5)
    drafting_admin = lead_admin
    ProposalFactory(lead=lead, call=call, status="draft")
    outsider_drafting = OrganisationFactory()
    ProposalFactory(lead=outsider_drafting, call=call, status="submitted")
    member_of(outsider_drafting, "zlozyl@inny.example", role="admin")

    assert call_send_deadline_reminders() >= 1
    assert call_send_deadline_reminders() == 0  # beat ran twice
    fourteen = Notification.objects.filter(dedupe_key__startswith=f"call-deadline:{call.pk}:14d")
    assert drafting_admin.email in fourteen.values_list("to_email", flat=True)

    three_days_later = timezone.now() + datetime.timedelta(days=11)
    call_send_deadline_reminders(now=three_days_later)
    call_send_deadline_reminders(now=three_days_later + datetime.timedelta(hours=1))
    three = Notification.objects.filter(dedupe_key__startswith=f"call-deadline:{call.pk}:3d")
    assert three.filter(to_email=drafting_admin.email).count() == 1
    assert fourteen.filter(to_email=drafting_admin.email).count() == 1


def test_no_fourteen_day_reminder_for_a_call_published_after_that_point():
    now = timezone.now()
    late = FundingCallFactory(
        opens_at=now - datetime.timedelta(days=1),
        published_at=now - datetime.timedelta(days=1),
        deadline=now + datetime.timedelta(days=10),
    )
    member_of(OrganisationFactory(), "ktos@szpital.example")
    assert call_send_deadline_reminders() == 0
    assert not Notification.objects.filter(
        dedupe_key__startswith=f"call-deadline:{late.pk}"
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_beat_twice_through_a_real_worker_sends_each_reminder_once(
    celery_worker_on_redis, smtp_sink, seeded_data
):
    from projects.tasks import call_deadline_reminders_task

    _call_due_in(2, title_en="Wounds AI", title_pl="AI ran")
    member_of(OrganisationFactory(), "przypomnienie@szpital.example", user__preferred_language="en")

    call_deadline_reminders_task.delay().get(timeout=20)
    call_deadline_reminders_task.delay().get(timeout=20)

    wait_for(lambda: Notification.objects.filter(status="sent").count() == 1)
    wait_for(lambda: len(smtp_sink.messages) == 1)
    [message] = smtp_sink.messages
    assert message["To"] == "przypomnienie@szpital.example"
    assert message["Subject"] == "Wounds AI: 2 days to the deadline"
    assert not mail.outbox  # went through SMTP, not the test backend
