from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import School, User
from accounts.selectors import schools_visible_to
from core.thaitime import ThaiDateField
from equipment_loans.models import Condition, Loan, LoanItem, LoanLine
from equipment_loans.services import quantity_key


class LoanRequestForm(forms.Form):
    """แบบบันทึกขอยืม / ขอใช้วัสดุอุปกรณ์: one number box per item, then the when and why."""

    kind = forms.ChoiceField(
        label=_("Request type"),
        choices=Loan.Kind.choices,
        initial=Loan.Kind.BORROW,
        widget=forms.RadioSelect,
    )
    school = forms.ModelChoiceField(
        label=_("For school"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("The office itself"),
    )
    starts_on = ThaiDateField(label=_("Pick up on"))
    ends_on = ThaiDateField(label=_("Return by"))
    purpose = forms.CharField(
        label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    project = forms.CharField(label=_("Project / activity"), max_length=255, required=False)
    pickup_place = forms.CharField(
        label=_("Pick up at"), max_length=255, initial=_("ICT group office")
    )
    return_place = forms.CharField(
        label=_("Return to"), max_length=255, initial=_("ICT group office")
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        items: QuerySet[LoanItem] | Sequence[LoanItem],
        loan: Loan | None = None,
        **kw,
    ) -> None:
        super().__init__(*args, **kw)
        self.user = user
        self.items = list(items)
        self.item_fields: list[tuple[LoanItem, forms.BoundField]] = []
        booked = {line.item_id: line.quantity for line in loan.lines.all()} if loan else {}
        for item in self.items:
            name = quantity_key(item.pk)
            self.fields[name] = forms.IntegerField(
                label=str(item),
                min_value=0,
                required=False,
                initial=booked.get(item.pk, 0),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
                error_messages={
                    "invalid": _("Type a whole number."),
                    "min_value": _("The quantity cannot be negative."),
                },
            )
            self.item_fields.append((item, self[name]))
        if user.is_school_side or loan is not None:
            del self.fields["school"]
        else:
            cast(forms.ModelChoiceField, self.fields["school"]).queryset = schools_visible_to(user)
        if loan is not None:
            del self.fields["kind"]

    def quantities(self) -> dict[int, int | None]:
        """The number typed for each item, by item id (None when left blank); the service
        `wanted_from_quantities` decides what may be asked for."""
        return {item.pk: self.cleaned_data.get(quantity_key(item.pk)) for item in self.items}


def _condition_field(line: LoanLine, choices: list[tuple[str, Any]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=str(line), choices=choices, initial=Condition.GOOD)


class CheckOutForm(forms.Form):
    accessories = forms.CharField(
        label=_("Accessories handed over"), max_length=255, required=False
    )
    acknowledgement = forms.CharField(
        label=_("Borrower types their full name to acknowledge receipt"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, loan: Loan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = list(loan.lines.all())
        usable = [c for c in Condition.choices if c[0] != Condition.MISSING]
        for line in self.lines:
            self.fields[f"condition_{line.pk}"] = _condition_field(line, usable)
        self.fields["accessories"].initial = ", ".join(
            line.item.accessories for line in self.lines if line.item.accessories
        )
        self.order_fields([f"condition_{line.pk}" for line in self.lines])

    def conditions(self) -> dict[int, str]:
        return {line.pk: self.cleaned_data[f"condition_{line.pk}"] for line in self.lines}


class CheckInForm(forms.Form):
    missing_items = forms.CharField(label=_("Missing accessories"), max_length=255, required=False)
    note = forms.CharField(
        label=_("Damage or remarks"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A damaged or missing item opens a repair ticket with this description."),
    )

    def __init__(self, *args: Any, loan: Loan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = list(loan.lines.all())
        for line in self.lines:
            self.fields[f"condition_{line.pk}"] = _condition_field(line, Condition.choices)
        self.order_fields([f"condition_{line.pk}" for line in self.lines])

    def conditions(self) -> dict[int, str]:
        return {line.pk: self.cleaned_data[f"condition_{line.pk}"] for line in self.lines}


class NotCollectedForm(forms.Form):
    comment = forms.CharField(
        label=_("Why is the booking released?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
