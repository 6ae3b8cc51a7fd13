from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.generic import DetailView, ListView, TemplateView
from django.views.static import serve

from competence_centres.models import CompetenceCentre
from competence_centres.selectors import centres_active
from events.models import Event

from ..models import NewsPost

HOME_UPCOMING_EVENTS = 3
HOME_LATEST_NEWS = 3


class HomeView(TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["centres"] = CompetenceCentre.objects.active().with_member_counts()
        context["upcoming_events"] = Event.objects.published().upcoming()[:HOME_UPCOMING_EVENTS]
        context["latest_news"] = NewsPost.objects.published()[:HOME_LATEST_NEWS]
        return context


class AboutView(TemplateView):
    template_name = "pages/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # (address, name) pairs: the template's lookups of a centre's method and translated
        # field raised and caught an exception for each, a third of the page's own rendering.
        context["centre_links"] = [
            (centre.get_absolute_url(), centre.name) for centre in centres_active()
        ]
        return context


class NewsListView(ListView):
    template_name = "pages/news_list.html"
    context_object_name = "posts"
    paginate_by = 10

    def get_queryset(self):
        return NewsPost.objects.published()


class NewsDetailView(DetailView):
    template_name = "pages/news_detail.html"
    context_object_name = "post"

    def get_queryset(self):
        return NewsPost.objects.published()


def switch_language(request, language):
    """Show the site in `language` and remember it (a cookie), then go back to `next`.

    A GET link rather than Django's POST form: choosing a language changes nothing worth
    forging, and pages without a CSRF token can be cached for anonymous visitors.
    """
    if language not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        # translate_url resolves `target` in the active language, which this unprefixed view
        # takes from the cookie or the browser: a Polish browser on an English page would
        # resolve nothing and stay on the English page. The page's own prefix says.
        with translation.override(translation.get_language_from_path(target) or language):
            target = translate_url(target, language)
    else:
        with translation.override(language):
            target = reverse("home")
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


def favicon(request):
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@cache_control(public=True, max_age=86400)
def logo(request, path):
    # MEDIA_ROOT is read per request so that tests (and deployments) can move it.
    return serve(request, path, document_root=Path(settings.MEDIA_ROOT) / "logos")


@cache_control(public=True, max_age=86400)
def event_image(request, path):
    # Public, and re-encoded by us on upload (core/images.py), like logos.
    return serve(request, path, document_root=Path(settings.MEDIA_ROOT) / "events")


@never_cache
def healthz(request):
    """For load balancers and docker-compose: the process answers and the database too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "database": False}, status=503)
    return HttpResponse("ok", content_type="text/plain")
