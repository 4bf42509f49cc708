"""Forms of official documents: office settings, a number for an outside document, cancelling,
and the verification upload."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.thaitime import ThaiDateField, ThaiDateInput
from documents.models import OfficeDocumentSettings

PDF_MAX_BYTES = 20 * 1024 * 1024
PNG_MAX_BYTES = 2 * 1024 * 1024


def check_pdf(upload) -> None:
    if upload.size > PDF_MAX_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."))
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("This is not a PDF file."))


def check_png(upload) -> None:
    if upload.size > PNG_MAX_BYTES:
        raise ValidationError(_("The image is larger than 2 MB."))
    head = upload.read(8)
    upload.seek(0)
    if head != b"\x89PNG\r\n\x1a\n":
        raise ValidationError(_("The Garuda image must be a PNG file."))


def check_pkcs12(upload) -> None:
    if upload.size > 64 * 1024:
        raise ValidationError(_("A certificate file is at most 64 KB."))


class OfficeDocumentSettingsForm(forms.ModelForm):
    class Meta:
        model = OfficeDocumentSettings
        fields = [
            "office_name",
            "group_name",
            "letter_code",
            "group_suffix",
            "telephone",
            "addressee_title",
            "garuda",
            "order_signer",
            "order_signer_position",
            "thai_digits",
            "signing_certificate",
        ]

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["garuda"].validators.append(check_png)
        self.fields["signing_certificate"].validators.append(check_pkcs12)
        # Its default is a setting (a callable): compared with the instance, not a hidden input.
        self.fields["thai_digits"].show_hidden_initial = False
        if office is not None:
            signer_field = self.fields["order_signer"]
            assert isinstance(signer_field, forms.ModelChoiceField)
            signer_field.queryset = office.users.filter(is_active=True).order_by("first_name")


class OutsideNumberForm(forms.Form):
    date = ThaiDateField(label=_("Date"), widget=ThaiDateInput())
    subject = forms.CharField(label=_("Subject"), max_length=500)
    recipient = forms.CharField(label=_("To"), max_length=255)
    file = forms.FileField(label=_("Document file (PDF)"), required=False, validators=[check_pdf])


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("PDF file to check"), validators=[check_pdf])
