"""Forms of the minutes: the meeting, its attendees and agenda items as formsets."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.thaitime import ThaiDateField
from minutes.models import Meeting


class MeetingForm(forms.ModelForm):
    held_on = ThaiDateField(label=_("Date"))

    class Meta:
        model = Meeting
        fields = [
            "title",
            "number",
            "step",
            "held_on",
            "starts_at",
            "ends_at",
            "place",
            "recorder",
            "checker",
        ]
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}),
            "ends_at": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args: Any, case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self.fields["step"], forms.ModelChoiceField)
        self.fields["step"].queryset = case.version.steps.exclude(kind="end").order_by("position")
        # ModelChoiceField looks label_from_instance up on the field instance, so a
        # per-instance callable works; django-stubs only knows it as a method.
        self.fields["step"].label_from_instance = lambda s: s.name_th  # type: ignore[method-assign,assignment]


class AttendeeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255, required=False)
    post = forms.CharField(label=_("Position"), max_length=255, required=False)
    role = forms.CharField(label=_("In the meeting"), max_length=100, required=False)
    present = forms.BooleanField(label=_("Present"), required=False, initial=True)
    absence_reason = forms.CharField(label=_("Reason for absence"), max_length=255, required=False)


class ItemForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Subject"), max_length=500, required=False)
    details = forms.CharField(
        label=_("What was presented"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    resolution = forms.CharField(
        label=_("Resolution"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


AttendeeFormSet = forms.formset_factory(AttendeeForm, extra=3)
ItemFormSet = forms.formset_factory(ItemForm, extra=2)


class FollowUpForm(forms.Form):
    action = forms.CharField(label=_("What to do"), max_length=500)
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=User.objects.none())
    due_on = ThaiDateField(label=_("Due on"))

    def __init__(self, *args: Any, office_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self.fields["assignee"], forms.ModelChoiceField)
        self.fields["assignee"].queryset = User.objects.filter(
            office_id=office_id, is_active=True, school__isnull=True
        ).order_by("first_name")
        # ModelChoiceField looks label_from_instance up on the field instance, so a
        # per-instance callable works; django-stubs only knows it as a method.
        self.fields["assignee"].label_from_instance = lambda u: u.display_name  # type: ignore[method-assign,assignment]


class DoneForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=500)
