"""The audit log in the admin: superusers read and export it; nobody adds, changes or
deletes an entry."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .audit import audit_record
from .csv_export import csv_response
from .enums import AuditAction
from .models import AuditEntry


def _is_superuser(request) -> bool:
    return request.user.is_active and request.user.is_superuser


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "target_type", "target_repr", "detail"]
    list_filter = [
        "action",
        ("target_type", admin.RelatedOnlyFieldListFilter),
        ("actor", admin.RelatedOnlyFieldListFilter),
        "created_at",
    ]
    search_fields = ["target_repr", "target_id", "detail"]
    list_select_related = ["actor", "target_type"]
    date_hierarchy = "created_at"
    fields = readonly_fields = [
        "created_at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "target_repr",
        "detail",
    ]
    actions = ["export_csv"]

    def has_module_permission(self, request):
        return _is_superuser(request)

    def has_view_permission(self, request, obj=None):
        return _is_superuser(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Export the selected entries as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        audit_record(
            actor=request.user, action=AuditAction.ADMIN_EXPORT, target=AuditEntry, detail="csv"
        )
        entries = queryset.select_related("actor", "target_type").order_by("created_at", "pk")
        return csv_response(
            filename="audit-log",
            header=[
                _("When"),
                _("Who"),
                _("Action"),
                _("Kind of object"),
                _("Object id"),
                _("Object"),
                _("Detail"),
            ],
            rows=(
                [
                    entry.created_at.isoformat(),
                    f"user #{entry.actor_id}" if entry.actor_id else "",
                    entry.action,
                    f"{entry.target_type.app_label}.{entry.target_type.model}",
                    entry.target_id,
                    entry.target_repr,
                    entry.detail,
                ]
                for entry in entries.iterator(chunk_size=2000)
            ),
        )
