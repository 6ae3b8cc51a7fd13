"""The audit log: an append-only record of who looked at or changed what about others."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import AuditAction


class AuditLogIsAppendOnly(Exception):
    """An audit entry was to be changed or deleted: the log only grows."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("audit entries cannot be updated")

    def delete(self):
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogIsAppendOnly("audit entries cannot be updated")

    def update_or_create(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit entries cannot be updated")


class AuditEntry(models.Model):
    """One thing someone did. People appear by account only (`actor`, or `user #<id>` in
    `target_repr`), never by name or address, so that an anonymised account leaves no
    personal data behind in the log."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # PROTECT: an account that acted can be anonymised, never deleted, so the log keeps
    # pointing at the same (by then nameless) account.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for what the portal did by itself (retention)."),
    )
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of object"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Empty when the action concerned many rows of a kind (a CSV export of a list).
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=255, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="core_audit_target_idx"),
            models.Index(fields=["actor", "created_at"], name="core_audit_actor_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="core_audit_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.target_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")
