from django import forms

from .enums import OPTIONAL_CATEGORIES


class NotificationPreferencesForm(forms.Form):
    """One checkbox per category a user may switch off; essential mails are not offered."""

    def __init__(self, *args, current: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for category, help_text in OPTIONAL_CATEGORIES:
            self.fields[category] = forms.BooleanField(
                label=category.label,
                help_text=help_text,
                required=False,
                initial=current.get(category, True),
            )
