"""Forms of a plan's budget page; the budget services re-check what they receive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.thaitime import ThaiDateField
from workplans.models import BudgetLine, Project

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_SIGNATURES = {
    ".pdf": b"%PDF",
    ".png": b"\x89PNG",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
}


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["fiscal_year", "project", "source", "item", "planned"]

    def __init__(self, *args: Any, plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self.fields["project"], forms.ModelChoiceField)
        self.fields["project"].queryset = Project.objects.filter(plan=plan)
        self.fields["fiscal_year"].widget = forms.Select(
            choices=[(year, year) for year in plan.fiscal_years]
        )
        self.fields["planned"].widget.attrs.update({"min": "0", "step": "0.01"})


class SpendingForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    spent_on = ThaiDateField(label=_("Date"))
    amount = forms.DecimalField(
        label=_("Amount (baht)"), min_value=0.01, max_digits=14, decimal_places=2
    )
    note = forms.CharField(label=_("What for"), max_length=500)
    evidence = forms.FileField(label=_("Evidence"), help_text=_("PDF, PNG or JPEG up to 10 MB."))

    def __init__(self, *args: Any, lines, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self.fields["line"], forms.ModelChoiceField)
        self.fields["line"].queryset = lines
        # ModelChoiceField looks label_from_instance up on the field instance, so a
        # per-instance callable works; django-stubs only knows it as a method.
        self.fields["line"].label_from_instance = lambda line: line.item  # type: ignore[method-assign,assignment]

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        signature = EVIDENCE_SIGNATURES.get(Path(upload.name).suffix.lower())
        if signature is None:
            raise forms.ValidationError(_("Allowed files: PDF, PNG or JPEG."))
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(signature):
            raise forms.ValidationError(_("The file's content does not match its name."))
        return upload
