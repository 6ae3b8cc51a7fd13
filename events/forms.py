import datetime

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .enums import CalendarPeriod, EventKind


class CalendarFilterForm(forms.Form):
    """The calendar's URL: upcoming or past, kind, competence centre, month.

    Invalid values (an unknown kind, a month with no events any more) are dropped rather
    than answered with an error: a bookmarked or hand-edited URL still shows a useful list.
    """

    period = forms.ChoiceField(
        label=_("Show"), choices=CalendarPeriod.choices, required=False, widget=forms.HiddenInput
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    centre = forms.ChoiceField(label=_("Competence centre"), required=False)
    month = forms.ChoiceField(label=_("Month"), required=False)

    def __init__(self, *args, centres, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *EventKind.choices]
        self.fields["centre"].choices = [("", _("All competence centres")), *centres]
        self.fields["month"].choices = [
            ("", _("Any month")),
            *(
                (month.strftime("%Y-%m"), date_format(month, "YEAR_MONTH_FORMAT"))
                for month in months
            ),
        ]

    def _valid(self, name: str) -> str:
        if not self.is_bound:
            return ""
        self.is_valid()  # validates once; invalid fields are left out of cleaned_data
        return self.cleaned_data.get(name) or ""

    @property
    def selected(self) -> dict:
        month = self._valid("month")
        return {
            "period": self._valid("period"),
            "kind": self._valid("kind"),
            "centre": self._valid("centre"),
            "month": datetime.date.fromisoformat(f"{month}-01") if month else None,
        }

    @property
    def is_narrowed(self) -> bool:
        selected = self.selected
        return bool(selected["kind"] or selected["centre"] or selected["month"])


class RegistrationForm(forms.Form):
    """One click to register; the organisation to represent is asked only of people who
    have several (or, for a public event, who may also come on their own)."""

    organisation = forms.TypedChoiceField(
        label=_("Organisation you represent"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, organisations, members_only: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        field = self.fields["organisation"]
        choices = [(pk, organisation.name) for pk, organisation in self.organisations.items()]
        if members_only:
            field.required = True
            field.error_messages["required"] = _("Choose the organisation you represent.")
        else:
            choices.insert(0, ("", _("None: I come on my own")))
        field.choices = choices
        if len(self.organisations) <= 1:
            # Nothing to choose: the page names the organisation next to the button.
            field.widget = forms.HiddenInput()
            field.initial = next(iter(self.organisations), None)

    @property
    def single_organisation(self):
        if len(self.organisations) == 1:
            return next(iter(self.organisations.values()))
        return None

    @property
    def has_choice(self) -> bool:
        return len(self.organisations) > 1

    def clean_organisation(self):
        value = self.cleaned_data["organisation"]
        return None if value is None else self.organisations[value]
