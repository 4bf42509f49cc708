from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleCode, School, User
from accounts.selectors import schools_visible_to
from core.thaitime import ThaiDateField, ThaiDateInput
from processes.forms import limited_text
from repairs.models import Asset, Category, Priority, RepairTicket, WorkLog
from repairs.selectors import OPEN_STATUSES, tickets_visible_to


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos in one input; the service checks count, size and content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class TicketForm(forms.Form):
    """The online repair request (แบบแจ้งซ่อมออนไลน์)."""

    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("The office itself"),
    )
    category = forms.ChoiceField(label=_("What needs repair"), choices=Category.choices)
    asset = forms.ModelChoiceField(
        label=_("Registered asset"),
        queryset=Asset.objects.none(),
        required=False,
        empty_label=_("Not in the list: type its numbers below"),
    )
    asset_number_text = forms.CharField(label=_("Asset number"), max_length=100, required=False)
    serial_text = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    symptom = forms.CharField(
        label=_("Symptom"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("What happens, since when, and what was already tried."),
    )
    location = forms.CharField(
        label=_("Location"), max_length=255, help_text=_("e.g. computer room, building 2")
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Priority.choices, initial=Priority.NORMAL
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    # The metaclass moves declared fields off the class, so `self.files` stays the uploads;
    # the stubs see a class attribute clashing with BaseForm.files.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Photos or files"),
        required=False,
        help_text=_("Up to 5 photos (JPEG, PNG, WebP) or PDF files, 5 MB each."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        schools = schools_visible_to(user)
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = schools
        if user.is_school_side:
            # A school files for itself only: the field is shown, fixed.
            self.fields["school"].required = True
            cast(forms.ModelChoiceField, self.fields["school"]).empty_label = None
            self.fields["school"].initial = user.school_id
            self.fields["school"].disabled = True
        # The stubs reject office_id/school_id=None; Django reads it as IS NULL.
        assets = Asset.objects.filter(office_id=user.office_id).select_related("school")  # type: ignore[misc]
        if user.is_school_side:
            assets = assets.filter(school_id=user.school_id)  # type: ignore[misc]
        cast(forms.ModelChoiceField, self.fields["asset"]).queryset = assets.exclude(
            status=Asset.Status.RETIRED
        )
        # Django reads an instance attribute first; the stubs allow only overriding the method.
        cast(forms.ModelChoiceField, self.fields["asset"]).label_from_instance = self._asset_label  # type: ignore[method-assign,assignment]
        if not self.is_bound and user.phone:
            self.fields["contact_phone"].initial = user.phone

    @staticmethod
    def _asset_label(asset: Asset) -> str:
        place = asset.school.name_th if asset.school else _("Office")
        return f"{asset} · {place}"


class TriageForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    technician = forms.ModelChoiceField(label=_("Technician"), queryset=User.objects.none())

    def __init__(self, *args: Any, office_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["technician"]).queryset = (
            # The stubs reject office_id=None; Django reads it as IS NULL.
            User.objects.filter(  # type: ignore[misc]
                office_id=office_id,
                is_active=True,
                roles__code__in=[RoleCode.STAFF, RoleCode.GROUP_HEAD],
            )
            .distinct()
            .order_by("first_name")
        )
        # Django reads an instance attribute first; the stubs allow only overriding the method.
        cast(forms.ModelChoiceField, self.fields["technician"]).label_from_instance = lambda user: (  # type: ignore[method-assign,assignment]
            user.display_name
        )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class WorkLogForm(forms.ModelForm):
    worked_on = ThaiDateField(label=_("Date"), widget=ThaiDateInput)

    class Meta:
        model = WorkLog
        formfield_callback = limited_text
        fields = ["worked_on", "minutes", "action", "parts", "parts_cost"]
        widgets = {"action": forms.Textarea(attrs={"rows": 2})}


class BulkAssignForm(TriageForm):
    """Several open requests to one technician (the group head's morning round)."""

    tickets = forms.ModelMultipleChoiceField(queryset=RepairTicket.objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, office_id=user.office_id, **kwargs)
        del self.fields["priority"]
        cast(forms.ModelChoiceField, self.fields["tickets"]).queryset = tickets_visible_to(
            user
        ).filter(status__in=OPEN_STATUSES)
