import datetime

import factory
from django.utils import timezone

from events.enums import EventKind
from events.models import Event


class EventFactory(factory.django.DjangoModelFactory):
    """A published one-day conference in Lublin, two weeks from now."""

    class Meta:
        model = Event

    kind = EventKind.CONFERENCE
    title_pl = factory.Sequence(lambda n: f"Konferencja medyczna {n}")
    title_en = factory.Sequence(lambda n: f"Medical conference {n}")
    slug = factory.Sequence(lambda n: f"medical-conference-{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=8))
    venue = "Centrum Spotkań i Konferencji"
    city = "Lublin"
    is_published = True
