import datetime

import factory
from django.utils import timezone

from cluster_portal.pages.models import NewsPost


class NewsPostFactory(factory.django.DjangoModelFactory):
    """A news item in both languages, published yesterday."""

    class Meta:
        model = NewsPost

    slug = factory.Sequence(lambda n: f"news-{n}")
    title_pl = factory.Sequence(lambda n: f"Aktualność {n}")
    title_en = factory.Sequence(lambda n: f"News item {n}")
    body_pl = "Treść wiadomości."
    body_en = "The text of the news item."
    is_published = True
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
