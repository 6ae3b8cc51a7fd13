from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What the audit log records: looks at other people's private data, decisions and
    changes of someone else's rights, and what happens to a person's data."""

    CONTACTS_VIEWED = "contacts_viewed", _("Private contacts viewed")
    CONTACTS_EXPORTED = "contacts_exported", _("Private contacts exported")
    ADMIN_RECORD_VIEWED = "admin_record_viewed", _("Record opened in the admin")
    ADMIN_EXPORT = "admin_export", _("Exported from the admin")
    DECISION = "decision", _("Decision")
    ROLE_CHANGED = "role_changed", _("Role changed")
    DATA_EXPORTED = "data_exported", _("Personal data exported")
    ACCOUNT_DELETED = "account_deleted", _("Account deleted and anonymised")
    RETENTION = "retention", _("Retention run")
