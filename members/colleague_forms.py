"""Forms of the colleagues pages: inviting, changing a role, joining through an invitation."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from cluster_portal.core.forms import SubmissionKeyField

from .enums import MembershipRole
from .models import Invitation, User
from .validators import normalise_email


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=Invitation._meta.get_field("email").max_length,
        help_text=_("We send the invitation link there; it works for 14 days."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=MembershipRole.choices,
        initial=MembershipRole.MEMBER,
        widget=forms.RadioSelect,
    )
    submission_key = SubmissionKeyField()

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(choices=MembershipRole.choices)


class InvitationSignupForm(forms.Form):
    """Creates the invitee's account on the invitation page; the address is the invited one."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        # Plain sentences rather than Django's <ul>, which cannot sit inside the field's <p>.
        self.fields["password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            # An unsaved user lets the similarity check compare with the name and address.
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
