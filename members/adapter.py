from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import get_language

from cluster_portal.notifications.enums import NotificationCategory
from cluster_portal.notifications.writing import notification_create_message

# What in allauth's mail context works as a credential: links that log in, confirm an
# address or reset a password, and one-time codes.
CREDENTIAL_CONTEXT_KEYS = ("password_reset_url", "activate_url", "key", "code")


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """The sign-up page shows the privacy notice: signing up accepts it, on record."""
        user.privacy_notice_accepted_at = timezone.now()
        return super().save_user(request, user, form, commit=commit)

    def get_reauthentication_methods(self, user):
        """The second factor first when the person has one: confirming it is them asks for
        the stronger proof by default (the password stays offered as the alternative)."""
        methods = super().get_reauthentication_methods(user)
        return sorted(methods, key=lambda method: not method["id"].startswith("mfa_"))

    def clean_email(self, email: str) -> str:
        """Refuse addresses longer than the column that keeps them.

        allauth's e-mail fields set no length, so otherwise sign-up stores a silently
        truncated (wrong) address, and adding an address or asking for a password reset
        fails in the database with a server error.
        """
        MaxLengthValidator(app_settings.EMAIL_MAX_LENGTH)(email)
        return super().clean_email(email)

    def send_mail(self, template_prefix, email, context):
        """Route allauth's mails (verification, reset, security notices) through the outbox.

        They are rendered here, in the language of the request that caused them, and sent by
        a worker after the transaction commits — like every other message of the portal.
        """
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        # `email` may differ from the account's address (confirming a new one) or belong to
        # no account at all (a reset request for an unknown address): the row keeps both.
        user = context.get("user")
        recipient = user if isinstance(user, get_user_model()) and user.pk else None
        notification_create_message(
            to_email=email,
            recipient=recipient,
            language=(get_language() or "pl")[:2],
            kind=f"account.{template_prefix.rsplit('/', 1)[-1]}",
            category=NotificationCategory.ACCOUNT,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            is_essential=True,
            secrets=[str(context[key]) for key in CREDENTIAL_CONTEXT_KEYS if context.get(key)],
        )
