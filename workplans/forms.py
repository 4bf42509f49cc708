"""Forms of plans, surveys, follow-up and specifications. The services re-check what matters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import School
from core.thaitime import ThaiDateField, ThaiDateInput, fiscal_year_of
from processes.forms import TEXT_LIMIT, limited_text
from processes.models import Outcome
from workplans.models import (
    KPI,
    Activity,
    Plan,
    PlanKind,
    Project,
    Question,
    Section,
    SpecDraft,
    SpecDraftLine,
    SpecDraftMember,
    SpecItem,
    Strategy,
    WorkingGroupMember,
)
from workplans.services import check_price_ceiling


def current_fiscal_year() -> int:
    return fiscal_year_of(timezone.localdate())


class PlanCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of plan"), choices=PlanKind.choices)
    title = forms.CharField(label=_("Title"), max_length=500)
    fiscal_year_start = forms.IntegerField(
        label=_("First fiscal year (B.E.)"), min_value=2500, max_value=2700
    )
    fiscal_year_end = forms.IntegerField(
        label=_("Last fiscal year (B.E.)"), min_value=2500, max_value=2700
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = current_fiscal_year()
        self.fields["fiscal_year_start"].initial = year
        self.fields["fiscal_year_end"].initial = year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        start, end = data.get("fiscal_year_start"), data.get("fiscal_year_end")
        if start and end and end < start:
            self.add_error("fiscal_year_end", _("The last year cannot come before the first."))
        return data


class PlanBasicsForm(forms.ModelForm):
    appointing_order_date = ThaiDateField(
        label=_("Appointing order date"), required=False, widget=ThaiDateInput
    )

    class Meta:
        formfield_callback = limited_text
        model = Plan
        fields = [
            "title",
            "fiscal_year_start",
            "fiscal_year_end",
            "vision",
            "goals",
            "appointing_order_no",
            "appointing_order_date",
        ]
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        start, end = data.get("fiscal_year_start"), data.get("fiscal_year_end")
        if start and end and end < start:
            self.add_error("fiscal_year_end", _("The last year cannot come before the first."))
        return data


ROW_WIDGETS: dict[str, type[forms.Widget] | forms.Widget] = {
    "description": forms.Textarea(attrs={"rows": 2})
}

StrategyFormSet = inlineformset_factory(
    Plan,
    Strategy,
    fields=["position", "title", "description"],
    extra=2,
    can_delete=True,
    widgets=ROW_WIDGETS,
)
KpiFormSet = inlineformset_factory(
    Plan, KPI, fields=["position", "name", "unit", "target"], extra=2, can_delete=True
)
MemberFormSet = inlineformset_factory(
    Plan,
    WorkingGroupMember,
    fields=["position", "name", "job_title", "duty"],
    extra=3,
    can_delete=True,
)


class BaseProjectFormSet(forms.BaseInlineFormSet):
    def _construct_form(self, i: int, **kwargs: Any):
        # django-stubs leaves out BaseFormSet._construct_form, Django's hook for each form.
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        form.fields["strategy"].queryset = Strategy.objects.filter(plan=self.instance)
        return form


ProjectFormSet = inlineformset_factory(
    Plan,
    Project,
    form=forms.ModelForm,
    formset=BaseProjectFormSet,
    fields=["position", "name", "strategy", "objective", "owner"],
    extra=2,
    can_delete=True,
    widgets={"objective": forms.Textarea(attrs={"rows": 2})},
)


class ActivityForm(forms.ModelForm):
    starts_on = ThaiDateField(label=_("Starts on"), required=False, widget=ThaiDateInput)
    ends_on = ThaiDateField(label=_("Ends on"), required=False, widget=ThaiDateInput)

    class Meta:
        formfield_callback = limited_text
        model = Activity
        fields = ["position", "name", "owner", "budget", "starts_on", "ends_on", "target_schools"]
        widgets = {"target_schools": forms.SelectMultiple(attrs={"size": 4})}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end cannot come before the start."))
        return data


class BaseActivityFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args: Any, office_id: int, **kwargs: Any) -> None:
        self.office_id = office_id
        super().__init__(*args, **kwargs)

    def _construct_form(self, i: int, **kwargs: Any):
        # django-stubs leaves out BaseFormSet._construct_form, Django's hook for each form.
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        form.fields["target_schools"].queryset = School.objects.filter(
            office_id=self.office_id
        ).order_by("name_th")
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        assert isinstance(form.fields["target_schools"], forms.ModelChoiceField)
        form.fields["target_schools"].queryset = School.objects.filter(office_id=self.office_id)
        return form


ActivityFormSet = inlineformset_factory(
    Project,
    Activity,
    form=ActivityForm,
    formset=BaseActivityFormSet,
    extra=2,
    can_delete=True,
)


class AttachmentForm(forms.Form):
    label = forms.CharField(label=_("Document"), max_length=255, required=False)
    # The form metaclass moves declared fields into base_fields, so this does not replace
    # BaseForm.files at runtime; django-stubs cannot see that.
    files = forms.FileField(  # type: ignore[assignment]
        label=_("File (PDF or photo)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}),
    )


class ApproveForm(forms.Form):
    signed_name = forms.CharField(
        label=_("Signature: type your full name"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ReturnForm(forms.Form):
    """One comment box per section: each remark is shown to the drafters at that section."""

    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Outcome.RETURN.value, _("Return for revision")),
            (Outcome.REJECT.value, _("Not passed: back to the study step")),
        ],
        initial=Outcome.RETURN.value,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Section.choices:
            self.fields[f"comment_{value}"] = forms.CharField(
                label=label,
                required=False,
                max_length=TEXT_LIMIT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def comments(self) -> dict[str, str]:
        return {value: self.cleaned_data.get(f"comment_{value}", "") for value in Section.values}


# ---------------------------------------------------------------------------
# Surveys
# ---------------------------------------------------------------------------


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QuestionForm(forms.Form):
    # An initial kind makes an untouched extra row count as unchanged, so it is skipped.
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Question.Kind.choices, initial=Question.Kind.RATING
    )
    text = forms.CharField(label=_("Question"), max_length=500)
    choices = forms.CharField(
        label=_("Choices (one per line)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        lines = [c.strip() for c in (data.get("choices") or "").splitlines() if c.strip()]
        if data.get("kind") == Question.Kind.CHOICE and len(lines) < 2:
            self.add_error("choices", _("Give at least two choices, one per line."))
        data["choices"] = lines
        return data


QuestionFormSet = forms.formset_factory(QuestionForm, extra=4, min_num=1, validate_min=True)


class AnswerForm(forms.Form):
    """The questionnaire as a school sees it: one field per question."""

    def __init__(self, *args: Any, survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for question in self.questions:
            name = f"q{question.pk}"
            label = f"{question.position}. {question.text}"
            field: forms.Field
            if question.kind == Question.Kind.RATING:
                field = forms.ChoiceField(
                    label=label,
                    choices=[(str(n), str(n)) for n in range(1, 6)],
                    widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
                    help_text=_("1 = least, 5 = most"),
                )
            elif question.kind == Question.Kind.CHOICE:
                field = forms.ChoiceField(
                    label=label,
                    choices=[(c, c) for c in question.choices],
                    widget=forms.RadioSelect,
                )
            else:
                field = forms.CharField(
                    label=label, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
                )
            field.required = question.required
            self.fields[name] = field

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


# ---------------------------------------------------------------------------
# Follow-up
# ---------------------------------------------------------------------------


class QuarterForm(forms.Form):
    """One row per activity and per KPI of the plan, for one quarter."""

    def __init__(self, *args: Any, activities, kpis, initial_rows, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.activities = list(activities)
        self.kpis = list(kpis)
        for activity in self.activities:
            known = initial_rows["activities"].get(activity.pk, {})
            self.fields[f"a{activity.pk}_status"] = forms.ChoiceField(
                label=_("Status"),
                choices=Activity.Status.choices,
                initial=known.get("status", Activity.Status.NOT_STARTED),
            )
            self.fields[f"a{activity.pk}_spent"] = forms.DecimalField(
                label=_("Spent this quarter (baht)"),
                min_value=0,
                max_digits=14,
                decimal_places=2,
                required=False,
                initial=known.get("spent"),
            )
            self.fields[f"a{activity.pk}_note"] = forms.CharField(
                label=_("Note"), max_length=500, required=False, initial=known.get("note", "")
            )
        for kpi in self.kpis:
            self.fields[f"k{kpi.pk}"] = forms.DecimalField(
                label=_("Result"),
                max_digits=12,
                decimal_places=2,
                required=False,
                initial=initial_rows["kpis"].get(kpi.pk),
            )

    def activity_rows(self) -> list[dict]:
        return [
            {
                "activity": a,
                "status": self[f"a{a.pk}_status"],
                "spent": self[f"a{a.pk}_spent"],
                "note": self[f"a{a.pk}_note"],
            }
            for a in self.activities
        ]

    def kpi_rows(self) -> list[dict]:
        return [{"kpi": k, "value": self[f"k{k.pk}"]} for k in self.kpis]

    def activity_values(self) -> dict[int, dict]:
        return {
            a.pk: {
                "status": self.cleaned_data[f"a{a.pk}_status"],
                "spent": self.cleaned_data.get(f"a{a.pk}_spent"),
                "note": self.cleaned_data.get(f"a{a.pk}_note", ""),
            }
            for a in self.activities
        }

    def kpi_values(self) -> dict[int, Any]:
        return {k.pk: self.cleaned_data.get(f"k{k.pk}") for k in self.kpis}


# ---------------------------------------------------------------------------
# Specifications
# ---------------------------------------------------------------------------


class SpecItemForm(forms.ModelForm):
    class Meta:
        formfield_callback = limited_text
        model = SpecItem
        fields = [
            "item_type",
            "name",
            "characteristics",
            "unit",
            "price_ceiling",
            "source_standard",
            "year",
            "is_active",
        ]
        widgets = {"characteristics": forms.Textarea(attrs={"rows": 6})}


class SpecDraftForm(forms.ModelForm):
    class Meta:
        formfield_callback = limited_text
        model = SpecDraft
        fields = ["title", "requested_by_unit", "purpose", "fiscal_year"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["fiscal_year"].initial = current_fiscal_year()


class SpecLineAddForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Item from the library"), queryset=SpecItem.objects.none()
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100000)
    unit_price = forms.DecimalField(
        label=_("Unit price (baht)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty to use the reference price ceiling."),
    )

    def __init__(self, *args: Any, office_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self.fields["source"], forms.ModelChoiceField)
        self.fields["source"].queryset = SpecItem.objects.filter(
            office_id=office_id, is_active=True
        )


class SpecLineForm(forms.ModelForm):
    class Meta:
        formfield_callback = limited_text
        model = SpecDraftLine
        fields = ["position", "name", "characteristics", "unit", "quantity", "unit_price"]
        widgets = {"characteristics": forms.Textarea(attrs={"rows": 4})}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        price = data.get("unit_price")
        source = self.instance.source
        if source is not None and price is not None:
            # The rule is the service's; checked here too so the error shows on its row.
            try:
                check_price_ceiling(source=source, unit_price=price)
            except ValidationError as error:
                self.add_error(None, error)
        return data


SpecLineFormSet = inlineformset_factory(
    SpecDraft, SpecDraftLine, form=SpecLineForm, extra=0, can_delete=True
)
SpecMemberFormSet = inlineformset_factory(
    SpecDraft,
    SpecDraftMember,
    fields=["position", "name", "job_title", "duty"],
    extra=3,
    can_delete=True,
)
