"""Forms of the log register; the services re-check what they receive."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.thaitime import ThaiDateField
from log_register.models import LogCheck, LogSource

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# What an evidence file may be, and how its content must start.
EVIDENCE_SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".csv": None,  # text: any content
    ".txt": None,
    ".log": None,
}


class SourceForm(forms.ModelForm):
    class Meta:
        model = LogSource
        fields = [
            "name",
            "kind",
            "kept_at",
            "retention_days",
            "responsible",
            "check_due_day",
            "is_active",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, office_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["responsible"]).queryset = (
            User.objects.filter(office_id=office_id, is_active=True, school__isnull=True)
            .exclude(roles__code__in=["school_user", "school_director"])
            .order_by("first_name")
        )
        # Django reads an instance attribute first; the stubs allow only overriding the method.
        cast(forms.ModelChoiceField, self.fields["responsible"]).label_from_instance = lambda u: (  # type: ignore[method-assign,assignment]
            u.display_name
        )
        self.fields["retention_days"].widget.attrs["min"] = 90


class CheckForm(forms.Form):
    month = ThaiDateField(
        label=_("Month checked"), help_text=_("Any day of the month, e.g. 01/12/2569.")
    )
    checked_on = ThaiDateField(label=_("Checked on"))
    result = forms.ChoiceField(label=_("Result"), choices=LogCheck.Result.choices)
    oldest_log_on = ThaiDateField(
        label=_("Oldest log found"),
        required=False,
        help_text=_("The date of the oldest record still kept: shows the retention is real."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        help_text=_(
            "A screenshot (PNG, JPEG), a PDF or a text export (CSV, TXT, LOG) up to 10 MB."
        ),
    )

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        extension = Path(upload.name).suffix.lower()
        if extension not in EVIDENCE_SIGNATURES:
            raise forms.ValidationError(_("Allowed files: PDF, PNG, JPEG, CSV, TXT or LOG."))
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        signatures = EVIDENCE_SIGNATURES[extension]
        head = upload.read(8)
        upload.seek(0)
        if signatures and not head.startswith(signatures):
            raise forms.ValidationError(
                _("%(name)s is not really a %(kind)s file.")
                % {"name": upload.name, "kind": extension[1:].upper()}
            )
        return upload
