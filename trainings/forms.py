"""Forms of the training pages; the services re-check everything they receive."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.thaitime import ThaiDateField
from processes.models import Case
from trainings.models import SCALE, Question, Session, Training

XLSX_MAX_BYTES = 2 * 1024 * 1024


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = [
            "title",
            "description",
            "registration_open",
            "capacity",
            "min_attendance_percent",
            "evaluation_required",
            "signer_name",
            "signer_position",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TrainingCreateForm(TrainingForm):
    case = forms.ModelChoiceField(
        label=_("Case (the work this training belongs to)"),
        queryset=Case.objects.none(),
        help_text=_("Any running case of the office: a DLTV or DLIT project, staff development…"),
    )

    class Meta(TrainingForm.Meta):
        fields = ["case", *TrainingForm.Meta.fields]

    def __init__(self, *args: Any, cases=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case_field = self.fields["case"]
        assert isinstance(case_field, forms.ModelChoiceField)
        case_field.queryset = cases if cases is not None else Case.objects.none()
        # A per-field label, as Django allows; mypy refuses assigning over a method.
        case_field.label_from_instance = lambda c: f"{c.reference} · {c.title}"  # type: ignore[method-assign,assignment]


class SessionForm(forms.ModelForm):
    date = ThaiDateField(label=_("Date"))
    online_link = forms.URLField(
        label=_("online link"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Session
        fields = [
            "date",
            "starts_at",
            "ends_at",
            "hours",
            "topic",
            "place",
            "online_link",
            "speakers",
        ]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}),
            "ends_at": forms.TimeInput(attrs={"type": "time"}),
            "speakers": forms.Textarea(attrs={"rows": 2}),
            "hours": forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "inputmode": "decimal"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # ModelForm.clean returns its cleaned_data
        if not (data.get("place") or "").strip() and not (data.get("online_link") or "").strip():
            self.add_error("place", _("Give the place or the online link."))
        return data


class ParticipantListForm(forms.Form):
    file = forms.FileField(
        label=_("Participant list (XLSX)"),
        help_text=_(
            "Columns: full name, position, OBEC school code (10 digits, empty for the office), "
            "e-mail. Download the template below."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an Excel file (.xlsx)."))
        if upload.size > XLSX_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError(_("The file is not really an Excel (.xlsx) file."))
        return upload


class EvaluationForm(forms.Form):
    """One field per question: the five levels as radio buttons, open questions as text."""

    def __init__(self, *args: Any, training: Training, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(training.questions.all())
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == Question.Kind.RATING:
                self.fields[name] = forms.TypedChoiceField(
                    label=f"{question.position}. {question.text}",
                    choices=[(str(level), f"{level} - {label}") for level, label in SCALE],
                    widget=forms.RadioSelect,
                    required=question.required,
                    coerce=int,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=f"{question.position}. {question.text}",
                    widget=forms.Textarea(attrs={"rows": 2}),
                    required=question.required,
                    max_length=5000,
                )

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


class LookupForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=60,
        help_text=_("As printed, for example ๑๒/๒๕๗๐ or 12/2570."),
    )
