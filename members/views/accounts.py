"""allauth's account pages, where the portal changes how they behave."""

from allauth.account import views as allauth_views
from allauth.account.adapter import get_adapter
from allauth.mfa.totp import views as totp_views
from django.db import IntegrityError, transaction

from cluster_portal.core.db import violates

from ..models import User


def _one_at_a_time_for(user) -> None:
    """Queue this person's requests behind each other until the transaction ends.

    FOR NO KEY UPDATE: a row that refers to the user (an address, an authenticator) takes a
    key-share lock on it when its foreign key is checked; a plain FOR UPDATE held by the
    twin request would make that wait into a deadlock.
    """
    User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()


# allauth's EmailAddress: one row per (user, address).
EMAIL_ADDRESS_CONSTRAINT = "account_emailaddress_user_id_email_987c8728_uniq"


class EmailView(allauth_views.EmailView):
    """allauth's "E-mail addresses" page; the same address added twice at once is added once.

    Both requests would otherwise pass the form's "not yet on this account" check, and the
    database would refuse the second insert with a server error.
    """

    def post(self, request, *args, **kwargs):
        if "action_add" not in request.POST:
            return super().post(request, *args, **kwargs)
        try:
            with transaction.atomic():
                # One person's additions one after another, so the second one's form sees the
                # first one's address.
                _one_at_a_time_for(request.user)
                return super().post(request, *args, **kwargs)
        except IntegrityError as error:
            if not violates(error, EMAIL_ADDRESS_CONSTRAINT):
                raise
            form = self.get_form()
            form.is_valid()
            form.add_error("email", get_adapter().validation_error("duplicate_email"))
            return self.form_invalid(form)


class ActivateTOTPView(totp_views.ActivateTOTPView):
    """allauth's "Activate TOTP"; the same code sent twice at once activates it once.

    The twin request waits for the first one, then finds TOTP active and is sent where a
    later request is sent (the page that deactivates it), instead of failing on the
    database's one-authenticator-per-type constraint.
    """

    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST" or not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            _one_at_a_time_for(request.user)
            return super().dispatch(request, *args, **kwargs)
