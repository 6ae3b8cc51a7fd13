from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .delivery import notification_retry_failed
from .models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "to_email",
        "kind",
        "category",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = [
        "status",
        "category",
        "kind",
        "language",
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["to_email", "recipient__email", "recipient__full_name", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    actions = ["retry_failed"]
    # The outbox is a record of what was sent: nobody edits a message after the fact. The
    # sealed copy of a credential-bearing mail is never shown, not even to superusers; its
    # body here has the credential hidden.
    fields = readonly_fields = [
        *(
            field.name
            for field in Notification._meta.fields
            if field.name not in {"id", "sealed", "attachments"}
        ),
        "attachment_names",
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("attachments"))
    def attachment_names(self, notification):
        # Names only: a file may encode a credential (a check-in QR code).
        return ", ".join(item["filename"] for item in notification.attachments) or "—"

    @admin.action(description=_("Retry the selected failed notifications"), permissions=["change"])
    def retry_failed(self, request, queryset):
        count = notification_retry_failed(notifications=queryset)
        credentials = queryset.filter(status="failed", carries_secret=True).count()
        if credentials:
            self.message_user(
                request,
                ngettext(
                    "%(count)d failed notification carried a one-time link and is not sent "
                    "again: the person asks for a new one.",
                    "%(count)d failed notifications carried one-time links and are not sent "
                    "again: the people ask for new ones.",
                    credentials,
                )
                % {"count": credentials},
                messages.WARNING,
            )
        self.message_user(
            request,
            ngettext(
                "%(count)d failed notification queued again.",
                "%(count)d failed notifications queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "category", "email_enabled", "updated_at"]
    list_filter = ["category", "email_enabled"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
