"""Writing the audit log: one call where something worth recording happens."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .enums import AuditAction
from .models import AuditEntry

# Objects whose name says who a person is (a registration is "Anna Nowak → Congress"): the
# log names them by number, like accounts.
NAMED_BY_NUMBER = {
    "events.registration",
    "members.organisationmembership",
    "members.invitation",
    "notifications.notification",
    "notifications.notificationpreference",
    "projects.review",
    "mfa.authenticator",
    "account.emailaddress",
}


def audit_repr(target) -> str:
    """How an object is named in the log: accounts and objects naming a person by number
    only, other things by their own name; a model class (many rows) by its plural name."""
    if isinstance(target, type):
        return str(target._meta.verbose_name_plural)
    if isinstance(target, get_user_model()):
        return f"user #{target.pk}"
    if target._meta.label_lower in NAMED_BY_NUMBER:
        return f"{target._meta.model_name} #{target.pk}"
    return str(target)[:255]


def audit_record(
    *, actor, action: AuditAction, target: models.Model | type[models.Model], detail: str = ""
) -> AuditEntry:
    """Record that `actor` (a user, or None for the portal itself) did `action` to `target`
    (an object, or a model class for many rows). `detail` is a short code, never a name or
    an address."""
    model = target if isinstance(target, type) else target._meta.model
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=ContentType.objects.get_for_model(model),
        target_id="" if isinstance(target, type) else str(target.pk),
        target_repr=audit_repr(target),
        detail=detail[:255],
    )


class AuditedChangePageMixin:
    """For a ModelAdmin: opening the change page of someone else's record leaves an audit
    entry (`is_others_record` says whose it is)."""

    def is_others_record(self, request, obj) -> bool:
        raise NotImplementedError

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if request.method == "GET" and obj is not None and self.is_others_record(request, obj):
            audit_record(actor=request.user, action=AuditAction.ADMIN_RECORD_VIEWED, target=obj)
        return response
