import re

from allauth.account import forms as allauth_forms
from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from cluster_portal.core.db import violates

from .enums import Region
from .logos import ProcessedLogo, process_logo
from .models import Organisation
from .services import organisation_nip_taken_message
from .validators import normalise_nip, validate_nip

POSTAL_CODE = re.compile(r"^[0-9]{2}-[0-9]{3}$")  # ASCII digits: \d also takes "٢"


class LogoUploadForm(forms.Form):
    """A logo field that keeps nothing of the upload but its re-encoded pixels.

    The site's profile form and the admin's both use it, so a logo reaches storage only as
    `process_logo` made it: no metadata, no trailing bytes, a name and type of our choosing.
    """

    logo_upload = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, up to 5 MB and 4000×4000 pixels."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.processed_logo: ProcessedLogo | None = None

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if upload:
            self.processed_logo = process_logo(upload)
        return upload


class OrganisationForm(LogoUploadForm, forms.ModelForm):
    """The membership application, and later the profile an organisation's admins keep."""

    # A website typed without a scheme is https (Django 6's default, chosen now).
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "name",
            "nip",
            "regon",
            "krs",
            "street",
            "postal_code",
            "city",
            "region",
            "country",
            "website",
            "description",
            "specialisations",
            "size_band",
            "contact_name",
            "contact_email",
            "contact_phone",
            "contact_is_public",
            "is_public",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "nip": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "regon": forms.TextInput(attrs={"inputmode": "numeric"}),
            "krs": forms.TextInput(attrs={"inputmode": "numeric"}),
            "country": forms.TextInput(attrs={"maxlength": 2, "size": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nip"].max_length = 13  # dashes and spaces are allowed while typing
        self.fields["nip"].widget.attrs["maxlength"] = 13
        self.fields["nip"].validators = []  # checked in clean_nip, after normalising
        self.fields["postal_code"].help_text = _("In Poland: 00-000.")
        self.fields["contact_email"].help_text = _(
            "Shown to coordinators, and publicly if you allow it."
        )

    def clean_nip(self):
        nip = normalise_nip(self.cleaned_data.get("nip", ""))
        if not nip:
            return ""
        validate_nip(nip)
        taken = organisation_nip_taken_message(nip=nip, exclude_pk=self.instance.pk)
        if taken:
            raise ValidationError(taken, code="nip_taken")
        return nip

    def _get_validation_exclusions(self):
        # clean_nip and the service say a NIP is taken, in words; the model's unique
        # constraint would say it again as "Constraint … is violated".
        return {*super()._get_validation_exclusions(), "nip"}

    def clean_regon(self):
        return normalise_nip(self.cleaned_data.get("regon", ""))

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").strip().upper()

    def clean(self):
        cleaned = super().clean()
        region, country = cleaned.get("region"), cleaned.get("country", "")
        if region == Region.ABROAD:
            if not re.fullmatch(r"[A-Z]{2}", country) or country == "PL":
                self.add_error(
                    "country",
                    _("Members abroad give their country as a two-letter code, e.g. DE or LT."),
                )
        elif region:
            cleaned["country"] = "PL"
            if not cleaned.get("nip") and "nip" not in self.errors:
                self.add_error("nip", _("Organisations in Poland give their NIP."))
            postal_code = cleaned.get("postal_code", "")
            if postal_code and not POSTAL_CODE.match(postal_code):
                self.add_error("postal_code", _("A Polish postal code looks like 20-093."))
        return cleaned


# The unique address of an account: the column's own index and the case-insensitive one.
EMAIL_CONSTRAINTS = ("members_user_email_key", "members_user_email_ci_unique")


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up, safe against the same sign-up sent twice at once.

    Both requests may pass allauth's "is this address free?" check before either has saved;
    the database then refuses the second account. That request answers exactly as a later
    sign-up with a known address does — the "check your inbox" page, and a mail telling the
    owner an account exists — so a double click neither fails nor reveals the address.
    """

    def try_save(self, request):
        if not self.account_already_exists:
            try:
                with transaction.atomic():
                    return self.save(request), None
            except IntegrityError as error:
                if not violates(error, *EMAIL_CONSTRAINTS):
                    raise
                self.account_already_exists = True
        return super().try_save(request)
