"""The same create-once POST sent several times at once — a double click, a browser's retry,
a mobile network resending — gives no server error and creates exactly one row.

Each request runs in its own thread with its own PostgreSQL connection (`concurrent_posts`),
so the checks of all of them may run before any insert: the services must turn the
database's refusal into the answer a sequential duplicate gets.
"""

import pytest
from django.db import connection

from members.models import User
from tests.factories import DEFAULT_PASSWORD
from tests.helpers import concurrent_posts, deliver_outbox, require

pytestmark = pytest.mark.django_db(transaction=True)

N = 8


def postgresql():
    require(connection.vendor == "postgresql", "races are tested on PostgreSQL (DATABASE_URL)")


def test_eight_identical_sign_ups_at_once_make_one_account_and_answer_alike(seeded_data):
    postgresql()
    from cluster_portal.notifications.models import Notification

    data = {
        "email": "nowa.osoba@example.org",
        "password1": DEFAULT_PASSWORD,
        "password2": DEFAULT_PASSWORD,
    }

    responses = concurrent_posts("/en/accounts/signup/", data, n=N)
    later = concurrent_posts("/en/accounts/signup/", data, n=1)

    answers = {(response.status_code, response.get("Location")) for response in responses}
    # Each one, and a sign-up sent later, answers "check your inbox": nothing tells the
    # sender whether the address had an account already.
    assert answers == {(302, "/en/accounts/confirm-email/")}
    assert {(r.status_code, r.get("Location")) for r in later} == answers
    assert User.objects.filter(email__iexact="nowa.osoba@example.org").count() == 1
    kinds = sorted(Notification.objects.values_list("kind", flat=True))
    assert kinds.count("account.email_confirmation_signup") == 1
    assert kinds.count("account.account_already_exists") == N
    deliver_outbox()
