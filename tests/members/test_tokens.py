import pytest
from django.core import signing

from members.tokens import SALT, invitation_token, read_invitation_token
from tests.helpers import invited

pytestmark = pytest.mark.django_db


def test_invitation_tokens_round_trip_and_reject_tampering():
    invitation, _path = invited()
    token = invitation_token(invitation)
    assert read_invitation_token(token) == invitation.pk
    with pytest.raises(signing.BadSignature):
        read_invitation_token(token + "x")
    with pytest.raises(signing.BadSignature):
        read_invitation_token(signing.dumps("42", salt=SALT))
