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


class OrderForm(forms.Form):
    """The appointment order as staff prepare it from the case page (rules in services)."""

    subject = forms.CharField(label=_("Subject (เรื่อง)"), max_length=300)
    purpose = forms.CharField(
        label=_("The work the group is appointed for"),
        max_length=500,
        required=False,
        help_text=_("Printed as: เพื่อให้การดำเนินงาน… เป็นไปด้วยความเรียบร้อย"),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    duties = forms.CharField(
        label=_("Duties of the working group"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One duty per line prints as one numbered paragraph."),
    )
    effective_date = ThaiDateField(
        label=_("The order takes effect on"),
        required=False,
        widget=ThaiDateInput(),
        help_text=_("Leave empty for: from the day it is signed (ตั้งแต่บัดนี้เป็นต้นไป)."),
    )


class OrderMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=300)
    role = forms.ChoiceField(label=_("Role in the group"), choices=[])

    def __init__(self, *args, **kwargs):
        from documents.orders import ROLES

        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [("", "---------"), *[(role, role) for role in ROLES]]


class BaseOrderMemberFormSet(forms.BaseFormSet):
    def members(self) -> list[dict[str, str]]:
        """The rows kept (filled in, not ticked for removal), in the order shown."""
        return [
            {key: form.cleaned_data[key] for key in ("name", "position", "role")}
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("name")
        ]


OrderMemberFormSet = forms.formset_factory(
    OrderMemberForm,
    formset=BaseOrderMemberFormSet,
    extra=2,
    can_delete=True,
    max_num=60,
    validate_max=True,
)
