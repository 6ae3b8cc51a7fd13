"""No e-mail address on any public page of `make run`'s demo other than the cluster's contact
and the contacts organisations chose to publish: people's own account addresses never
appear on public pages, in the directory or in feeds. The test crawls every public page it
can reach from the home pages, as a visitor, and searches them for @-addresses."""

import io
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from cluster_portal.pages.models import SiteSettings
from members.models import Organisation, User

pytestmark = pytest.mark.django_db

ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Not public pages, or not pages: accounts, the admin, files, the language switch.
SKIP = ("/admin/", "/media/", "/static/", "/i18n/", "/accounts/", "/check-in/")
MAX_PAGES = 600


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag in {"a", "link"} and href:
            self.links.append(href)


def crawl(client, starts) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue and len(seen) < MAX_PAGES:
        path = urldefrag(queue.pop(0))[0]
        parts = urlsplit(path)
        if parts.scheme or parts.netloc or not path.startswith("/"):
            continue
        if path in seen or any(path.startswith(skip) or skip in path for skip in SKIP):
            continue
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200 or response.streaming:
            seen[path] = ""
            continue
        text = response.content.decode("utf-8", "replace")
        seen[path] = text
        if "html" in response["Content-Type"]:
            parser = Links()
            parser.feed(text)
            queue += parser.links
    return seen


def test_no_account_address_on_any_public_page_of_the_demo(client):
    call_command("seed_demo", stdout=io.StringIO())
    allowed = {settings.PORTAL_CONTACT_EMAIL.lower()}
    if SiteSettings.load().contact_email:
        allowed.add(SiteSettings.load().contact_email.lower())
    allowed |= {
        address.lower()
        for address in Organisation.objects.filter(contact_is_public=True).values_list(
            "contact_email", flat=True
        )
        if address
    }
    accounts = {address.lower() for address in User.objects.values_list("email", flat=True)}

    pages = crawl(client, ["/pl/", "/en/", "/en/events/feed.ics", "/en/projects/calls/feed/"])

    assert len(pages) > 50, "the crawl reached the directory, centres, events and news"
    found = {
        (path, address.lower()) for path, text in pages.items() for address in ADDRESS.findall(text)
    }
    assert {address for _path, address in found} & allowed, "the search finds addresses"
    # iCalendar UIDs (event-4@<PORTAL_MAIL_DOMAIN>) name events, not mailboxes.
    identifiers = {a for _path, a in found if a.endswith(f"@{settings.PORTAL_MAIL_DOMAIN}")}
    unexpected = sorted(
        (path, address)
        for path, address in found
        if address not in allowed and address not in identifiers
    )
    assert unexpected == []
    # And so, in particular, no account's own address (unless it is also a published contact).
    assert not {address for _path, address in found} & (accounts - allowed)
