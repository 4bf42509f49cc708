"""Forms of the data rounds: the import upload, a school's answer, the reason for a full export,
the deadline set at opening and the responsible staff."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.thaitime import ThaiDateField


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Export file (CSV or XLSX)"),
        help_text=_(
            "Students by grade: school code, grade, male, female. Or student rows: school code,"
            " national ID, first name, last name, grade, gender, birth date."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was corrected in DMC, or why the data is right."),
    )


class DisclosureForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for exporting national IDs in full"),
        min_length=5,
        max_length=500,
        help_text=_("Recorded with your name and the time (PDPA)."),
    )


class OpenRoundForm(forms.Form):
    """The deadline a person sets where no manual gives one (asked only then)."""

    deadline_on = ThaiDateField(
        label=_("Deadline of this round"),
        help_text=_("No manual gives this duty a date: the office sets it for each round."),
    )


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class ResponsibleStaffForm(forms.Form):
    responsible_staff = StaffChoiceField(
        label=_("Responsible staff"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            field = self.fields["responsible_staff"]
            assert isinstance(field, StaffChoiceField)
            field.queryset = choices
