from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import thaitime
from reports.models import ReportJob

YEARS_BACK = 10


def fiscal_year_choices() -> list[tuple[int, int]]:
    current = thaitime.fiscal_year_of(timezone.localdate())
    return [(year, year) for year in range(current, current - YEARS_BACK, -1)]


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=ReportJob.Kind.choices)
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, choices=())

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in ReportJob.Kind.choices if c[0] in kinds]
        self.fields["fiscal_year"].choices = fiscal_year_choices()
        # The year just closed is the one people ask for most.
        self.fields["fiscal_year"].initial = fiscal_year_choices()[min(1, YEARS_BACK - 1)][0]
