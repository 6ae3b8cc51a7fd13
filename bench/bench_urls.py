"""The portal's URLs plus a trivial view: the baseline a page's throughput is compared with.

The trivial view runs through the same middleware (sessions, CSRF, locale, CSP, htmx...), so
a ratio to it measures what the page itself costs. i18n_patterns may not sit in an included
URLconf, so the portal's patterns are spread in rather than include()d.
"""

from django.http import HttpResponse
from django.urls import path

from cluster_portal.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/trivial", trivial), *portal_urlpatterns]
