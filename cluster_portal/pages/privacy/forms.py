from django import forms
from django.utils.translation import gettext_lazy as _


class AccountDeleteForm(forms.Form):
    """Deleting an account cannot be undone: the person types their address to confirm."""

    confirmation = forms.CharField(
        label=_("Type your e-mail address to confirm"),
        max_length=254,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirmation(self):
        typed = self.cleaned_data["confirmation"]
        if typed.casefold() != self.user.email.casefold():
            raise forms.ValidationError(_("This is not your account's e-mail address."))
        return typed
