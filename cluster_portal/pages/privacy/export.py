"""What the portal holds about a person, as JSON and as a readable page, in one ZIP.

Only the person's own data: other people appear as "whether you did it", never by name or
address (no inviter, no invitee, no decider). Nothing that works as a credential (MFA
secrets, tokens, sealed mail) and no reviews of their own proposals.
"""

import io
import json
import zipfile
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cluster_portal.core.audit import audit_record
from cluster_portal.core.enums import AuditAction
from cluster_portal.core.errors import Conflict, NotAllowed
from cluster_portal.core.models import AuditEntry
from cluster_portal.notifications.enums import NotificationCategory, NotificationStatus
from cluster_portal.notifications.models import Notification, NotificationPreference
from cluster_portal.notifications.writing import notify
from competence_centres.models import CentreParticipation
from events.models import Registration
from members.models import Invitation, OrganisationMembership
from projects.models import ProposalEvent, Review
from projects.selectors import proposal_list_for_user

from ..models import DataExport
from . import rules

EXPORT_LIFETIME = timedelta(days=1)
PENDING_BLOCKS_FOR = timedelta(minutes=10)
# A request this soon after the previous one is the same request sent again.
REPEATED_REQUEST = timedelta(minutes=1)


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export_data(*, user) -> dict:
    """Everything the portal holds about `user`, as JSON-ready sections, in their language."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        return json.loads(json.dumps(_export_data(user), default=str))


def _second_factors(user) -> dict:
    methods = sorted(set(Authenticator.objects.filter(user=user).values_list("type", flat=True)))
    return {"enabled": bool(methods), "methods": methods}


def _export_data(user) -> dict:
    user_type = user._meta.model
    return {
        "generated_at": _when(timezone.now()),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "job_title": user.job_title,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "is_staff": user.is_staff,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "two_factor_authentication": _second_factors(user),
        "consents": {"privacy_notice_accepted_at": _when(user.privacy_notice_accepted_at)},
        "organisations": [
            {
                "organisation": membership.organisation.name,
                "role": membership.get_role_display(),
                "since": _when(membership.created_at),
            }
            for membership in OrganisationMembership.objects.filter(user=user)
            .select_related("organisation")
            .order_by("organisation__name")
        ],
        "invitations_received": [
            {
                "organisation": invitation.organisation.name,
                "role": invitation.get_role_display(),
                "sent_at": _when(invitation.created_at),
                "expires_at": _when(invitation.expires_at),
                "accepted_at": _when(invitation.accepted_at),
            }
            for invitation in Invitation.objects.filter(
                Q(accepted_by=user) | Q(email__iexact=user.email)
            )
            .select_related("organisation")
            .order_by("created_at")
        ],
        "invitations_sent": [
            {
                "organisation": invitation.organisation.name,
                "role": invitation.get_role_display(),
                "sent_at": _when(invitation.created_at),
                "accepted": invitation.accepted_at is not None,
                "revoked": invitation.revoked_at is not None,
            }
            for invitation in Invitation.objects.filter(invited_by=user)
            .select_related("organisation")
            .order_by("created_at")
        ],
        "centre_requests": [
            {
                "organisation": participation.organisation.name,
                "centre": participation.centre.name,
                "status": participation.get_status_display(),
                "requested_at": _when(participation.requested_at),
                "decided_at": _when(participation.decided_at),
                "you_asked": participation.requested_by_id == user.pk,
                "you_decided": participation.decided_by_id == user.pk,
            }
            for participation in CentreParticipation.objects.filter(
                Q(requested_by=user) | Q(decided_by=user)
            )
            .select_related("organisation", "centre")
            .order_by("requested_at")
        ],
        "proposals": [
            {
                "acronym": proposal.acronym,
                "title": proposal.title,
                "lead": proposal.lead.name,
                "status": proposal.get_status_for_applicants_display(),
                "created_by_you": proposal.created_by_id == user.pk,
                "submitted_at": _when(proposal.submitted_at),
            }
            for proposal in proposal_list_for_user(user=user)
        ],
        "proposal_actions": [
            {
                "proposal": line.proposal.acronym,
                "what": line.get_kind_display(),
                "when": _when(line.created_at),
            }
            for line in ProposalEvent.objects.filter(actor=user, shown_from__lte=timezone.now())
            .select_related("proposal")
            .order_by("created_at")
        ],
        "reviews_written": [
            {
                "proposal": review.proposal.acronym,
                "recommendation": review.get_recommendation_display()
                if review.recommendation
                else "",
                "comment_for_coordinators": review.comment_for_coordinators,
                "comment_for_applicants": review.comment_for_applicants,
                "submitted_at": _when(review.submitted_at),
            }
            for review in Review.objects.filter(reviewer=user)
            .select_related("proposal")
            .order_by("assigned_at")
        ],
        "event_registrations": [
            {
                "event": registration.event.title,
                "starts_at": _when(registration.event.starts_at),
                "status": registration.get_status_display(),
                "organisation": registration.organisation.name if registration.organisation else "",
                "attended": registration.attended_at is not None,
            }
            for registration in Registration.objects.filter(user=user)
            .select_related("event", "organisation")
            .order_by("event__starts_at")
        ],
        "notifications": [
            {
                "subject": notification.subject,
                "kind": notification.kind,
                "status": notification.get_status_display(),
                "created_at": _when(notification.created_at),
                "read_at": _when(notification.read_at),
                "body": "" if notification.carries_secret else notification.body_text,
            }
            for notification in Notification.objects.filter(recipient=user)
            .exclude(status=NotificationStatus.HELD)
            .order_by("created_at")
        ],
        "notification_preferences": [
            {"category": preference.get_category_display(), "email": preference.email_enabled}
            for preference in NotificationPreference.objects.filter(user=user).order_by("category")
        ],
        "activity_on_record": {
            "what_you_did": [
                {"when": _when(entry.created_at), "action": entry.get_action_display()}
                for entry in AuditEntry.objects.filter(actor=user).order_by("created_at")
            ],
            # When others opened your account's record (who stays with the cluster office).
            "your_account_looked_at": [
                _when(entry.created_at)
                for entry in AuditEntry.objects.filter(
                    target_type__app_label=user_type._meta.app_label,
                    target_type__model=user_type._meta.model_name,
                    target_id=str(user.pk),
                )
                .exclude(actor=user)
                .order_by("created_at")
            ],
        },
    }


def _html(value):
    """A JSON value as nested HTML lists, every text escaped."""
    if isinstance(value, dict):
        return format_html(
            "<dl>{}</dl>",
            format_html_join(
                "", "<dt>{}</dt><dd>{}</dd>", ((key, _html(item)) for key, item in value.items())
            ),
        )
    if isinstance(value, list):
        if not value:
            return "—"
        return format_html(
            "<ol>{}</ol>", format_html_join("", "<li>{}</li>", ((_html(item),) for item in value))
        )
    if value is None or value == "":
        return "—"
    return conditional_escape(value)


SECTION_TITLES = {
    "account": _("Account"),
    "email_addresses": _("E-mail addresses"),
    "two_factor_authentication": _("Two-factor authentication"),
    "consents": _("Consents"),
    "organisations": _("Organisations and roles"),
    "invitations_received": _("Invitations received"),
    "invitations_sent": _("Invitations sent"),
    "centre_requests": _("Requests to join competence centres"),
    "proposals": _("Project proposals"),
    "proposal_actions": _("What you did in proposals"),
    "reviews_written": _("Reviews you wrote"),
    "event_registrations": _("Event registrations"),
    "notifications": _("Notifications"),
    "notification_preferences": _("E-mail preferences"),
    "activity_on_record": _("Your account in the audit log"),
}


def export_zip(*, user) -> bytes:
    """The ZIP: data.json and data.html (in the person's language)."""
    data = export_data(user=user)
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        sections = [
            (str(SECTION_TITLES.get(name, name)), _html(value))
            for name, value in data.items()
            if name != "generated_at"
        ]
        html = render_to_string(
            "pages/privacy/export.html",
            {"data": data, "sections": sections, "LANGUAGE_CODE": translation.get_language()},
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("data.html", html)
    return buffer.getvalue()


def data_export_request(*, user) -> DataExport:
    """Ask for a download of one's data: a worker builds it after commit."""
    from ..tasks import build_data_export_task

    if not rules.can_manage_own_data(user):
        raise NotAllowed(gettext("Log in to download your data."))
    now = timezone.now()
    with transaction.atomic():
        # One download in the making per person: the lock makes two quick clicks one. One
        # pending for longer (its task lost with a broker outage) does not block a new one.
        user._meta.model.objects.select_for_update().filter(pk=user.pk).first()
        latest = DataExport.objects.filter(user=user).order_by("-created_at").first()
        # A double click or a retried request, however quick the build was: the same one.
        if latest and latest.created_at > now - REPEATED_REQUEST:
            raise Conflict(
                gettext("You asked for your download a moment ago: it appears below when ready.")
            )
        if (
            latest
            and latest.status == DataExport.Status.PENDING
            and latest.created_at > now - PENDING_BLOCKS_FOR
        ):
            raise Conflict(gettext("Your download is already being prepared."))
        export = DataExport.objects.create(
            user=user, created_at=now, expires_at=now + EXPORT_LIFETIME
        )
        audit_record(actor=user, action=AuditAction.DATA_EXPORTED, target=user, detail="requested")
        build_data_export_task.delay_on_commit(export_id=export.pk)
    return export


def data_export_build(*, export_id: int) -> DataExport | None:
    """Build the file of a requested export; a missing or finished export is left alone."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update()
            .select_related("user")
            .filter(pk=export_id, status=DataExport.Status.PENDING)
            .first()
        )
        if export is None:
            return None
        export.file.save(
            f"{export.token}.zip", ContentFile(export_zip(user=export.user)), save=False
        )
        export.status = DataExport.Status.READY
        export.ready_at = timezone.now()
        export.expires_at = export.ready_at + EXPORT_LIFETIME
        export.save(update_fields=["file", "status", "ready_at", "expires_at"])
        notify(
            recipients=[export.user],
            kind="privacy.export_ready",
            category=NotificationCategory.ACCOUNT,
            context={"expires_at": export.expires_at},
            dedupe_key=f"data-export-ready:{export.pk}",
            link=export.get_absolute_url(),
            is_essential=True,
        )
    return export
