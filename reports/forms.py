from functools import partial

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import thaitime
from processes.forms import limited_text
from reports.models import ReportJob, YearlyReportText

YEARS_BACK = 10
REPORT_TEXT_LIMIT = 20_000  # a chapter of the yearly report may run to a few pages


def fiscal_year_choices() -> list[tuple[int, int]]:
    current = thaitime.fiscal_year_of(timezone.localdate())
    return [(year, year) for year in range(current, current - YEARS_BACK, -1)]


def preferred_fiscal_year(case_counts: dict[int, int]) -> int:
    """The year people want: the current fiscal year when it has cases, else the latest year
    that has any, else the current one."""
    current = thaitime.fiscal_year_of(timezone.localdate())
    if case_counts.get(current):
        return current
    with_data = [year for year, n in case_counts.items() if n and year <= current]
    return max(with_data) if with_data else current


def labelled_year_choices(case_counts: dict[int, int]) -> list[tuple[int, str]]:
    """Each fiscal year with whether it has data: '2569 (120 เรื่อง)' / '2561 (ไม่มีข้อมูล)'."""
    choices = []
    for year, _label in fiscal_year_choices():
        n = case_counts.get(year, 0)
        note = _("%(n)s cases") % {"n": f"{n:,}"} if n else _("no data")
        choices.append((year, f"{year} ({note})"))
    return choices


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=ReportJob.Kind.choices)
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, choices=())

    def __init__(
        self, *args, kinds: list[str], case_counts: dict[int, int] | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        counts = case_counts or {}
        kind_field, year_field = self.fields["kind"], self.fields["fiscal_year"]
        assert isinstance(kind_field, forms.ChoiceField)
        assert isinstance(year_field, forms.ChoiceField)
        kind_field.choices = [c for c in ReportJob.Kind.choices if c[0] in kinds]
        year_field.choices = labelled_year_choices(counts)
        self.fields["fiscal_year"].initial = preferred_fiscal_year(counts)


class YearlyReportTextForm(forms.ModelForm):
    """What the group head writes into the yearly report before its final run."""

    class Meta:
        model = YearlyReportText
        formfield_callback = partial(limited_text, limit=REPORT_TEXT_LIMIT)
        fields = ["foreword", "summary", "problems"]
        widgets = {
            "foreword": forms.Textarea(attrs={"rows": 8}),
            "summary": forms.Textarea(attrs={"rows": 6}),
            "problems": forms.Textarea(attrs={"rows": 10}),
        }
