from django import forms
from django.utils.translation import gettext_lazy as _

MOTIVATION_MAX_LENGTH = 2000
MESSAGE_MAX_LENGTH = 2000


class ParticipationRequestForm(forms.Form):
    """Ask for one of the user's organisations to join a centre."""

    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    motivation = forms.CharField(
        label=_("Why do you want to join?"),
        max_length=MOTIVATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What your organisation brings to the centre and what it looks for: "
            "expertise, projects, partners. The centre's coordinators read it."
        ),
        error_messages={"required": _("Tell the coordinators why you want to join.")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        field = self.fields["organisation"]
        field.choices = [(pk, organisation.name) for pk, organisation in self.organisations.items()]
        if len(self.organisations) == 1:
            # Nothing to choose: the page names the organisation next to the button.
            field.widget = forms.HiddenInput()
            field.initial = next(iter(self.organisations))

    @property
    def single_organisation(self):
        if len(self.organisations) == 1:
            return next(iter(self.organisations.values()))
        return None

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]


class ParticipationDecisionForm(forms.Form):
    """A coordinator's answer to a request; declining needs a reason for the organisation."""

    ACCEPT = "accept"
    DECLINE = "decline"

    decision = forms.ChoiceField(choices=[(ACCEPT, _("Accept")), (DECLINE, _("Decline"))])
    message = forms.CharField(
        label=_("Message to the organisation"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with the decision. Needed when you decline."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.DECLINE and not cleaned.get("message", "").strip():
            self.add_error(
                "message", _("Tell the organisation why: the message goes with the decision.")
            )
        return cleaned

    @property
    def accept(self) -> bool:
        return self.cleaned_data["decision"] == self.ACCEPT
