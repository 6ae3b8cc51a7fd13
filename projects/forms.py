from django import forms
from django.utils.translation import gettext_lazy as _

from cluster_portal.core.forms import SubmissionKeyField
from competence_centres.models import CompetenceCentre
from members.enums import OrganisationStatus
from members.models import Organisation

from .enums import CallPhase, DocumentKind, PartnerRole, Programme
from .models import FundingCall, ProjectProposal
from .services.documents import recognise_document
from .services.proposals import CONTENT_FIELDS


class CallFilterForm(forms.Form):
    """The public list's filters; unknown values are dropped, never an error page."""

    centre = forms.ChoiceField(label=_("Competence centre"), required=False)
    programme = forms.ChoiceField(
        label=_("Programme"),
        required=False,
        choices=[("", _("All programmes")), *Programme.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = [
            ("", _("All competence centres")),
            *((centre.slug, centre.name) for centre in CompetenceCentre.objects.active()),
        ]

    def value(self, name: str) -> str:
        return (self.cleaned_data.get(name) if self.is_valid() else "") or ""


class ProposalForm(forms.ModelForm):
    """What the lead writes. Nothing is required for a draft but the title, acronym and
    summary; submitting checks the rest (services.proposal_missing_for_submission)."""

    class Meta:
        model = ProjectProposal
        fields = [*CONTENT_FIELDS, "centres"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "objectives": forms.Textarea(attrs={"rows": 6}),
            "expected_impact": forms.Textarea(attrs={"rows": 6}),
            "centres": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "acronym": _("A short name for the project, up to 30 characters."),
            "requested_budget": _("The total the partners ask for."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centres"].queryset = CompetenceCentre.objects.active()
        self.fields["centres"].help_text = _("The centres whose members the project concerns.")

    def content(self) -> dict:
        data = {name: self.cleaned_data[name] for name in CONTENT_FIELDS}
        data["keywords"] = ", ".join(
            word.strip() for word in data["keywords"].split(",") if word.strip()
        )
        return data


class NewProposalForm(ProposalForm):
    """A new draft: which organisation leads it (when the admin has several)."""

    lead = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=Organisation.objects.none()
    )
    call = forms.ModelChoiceField(
        label=_("Funding call"),
        queryset=FundingCall.objects.none(),
        required=False,
        empty_label=_("None yet: a project idea"),
        help_text=_("The open call the proposal answers, if any."),
    )

    submission_key = SubmissionKeyField()

    field_order = ["lead", "call"]

    def __init__(self, *args, leads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads
        if len(leads) == 1:
            self.fields["lead"].initial = leads[0].pk
            self.fields["lead"].widget = forms.HiddenInput()
        self.fields["call"].queryset = FundingCall.objects.published().in_phase(CallPhase.OPEN)


class PartnerInviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Partner organisation"),
        queryset=Organisation.objects.filter(status=OrganisationStatus.ACTIVE).order_by("name"),
        help_text=_("An active member of the cluster; its administrators confirm or decline."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=PartnerRole.choices)
    budget_share = forms.DecimalField(
        label=_("Share of the budget (%)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        taken = [proposal.lead_id, *proposal.partners.values_list("organisation_id", flat=True)]
        field = self.fields["organisation"]
        # The list offers the organisations not yet on the proposal, but the field accepts
        # one that is: the same invitation sent twice then gets the service's "already
        # invited", whether the twin came a second or a millisecond later.
        offered = forms.ModelChoiceField(queryset=field.queryset.exclude(pk__in=taken))
        field.widget.choices = offered.choices


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX, XLSX, ODT or ODS, up to 20 MB."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt,.ods,application/pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        recognise_document(upload)
        return upload


class WithdrawForm(forms.Form):
    message = forms.CharField(
        label=_("Why (for the cluster office)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
