"""Forms of the data rounds: the import upload, a school's answer, the reason for a full export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
