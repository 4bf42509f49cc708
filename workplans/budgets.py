"""Budget lines of plans and projects and the money spent against them: writes and the
per-line, per-year summary (planned, spent, remaining; overspending is shown, never capped)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import User
from workplans.models import BudgetLine, Plan, Spending
from workplans.selectors import is_group_member

ZERO = Decimal("0")
LINE_FIELDS = ("project", "fiscal_year", "source", "item", "planned")


def _require_member(user: User, plan: Plan) -> None:
    if not is_group_member(user, plan.office_id):
        raise PermissionDenied(_("Only the office's staff and group head keep a plan's budget."))


@transaction.atomic
def budget_line_save(
    *, user: User, plan: Plan, line: BudgetLine | None = None, **values: Any
) -> BudgetLine:
    _require_member(user, plan)
    line = line or BudgetLine(plan=plan, position=plan.budget_lines.count() + 1)
    for name in LINE_FIELDS:
        if name in values:
            setattr(line, name, values[name])
    if line.project_id and line.project is not None and line.project.plan_id != plan.pk:
        raise ValidationError({"project": _("The project is not part of this plan.")})
    if line.fiscal_year not in plan.fiscal_years:
        raise ValidationError(
            {
                "fiscal_year": _("The plan covers fiscal years %(years)s.")
                % {"years": plan.years_label}
            }
        )
    line.item = (line.item or "").strip()
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def budget_line_delete(*, user: User, line: BudgetLine) -> None:
    _require_member(user, line.plan)
    if line.spendings.exists():
        raise ValidationError(_("Money has been spent against this line; it stays."))
    line.delete()


def spending_record(
    *,
    user: User,
    line: BudgetLine,
    spent_on,
    amount: Decimal,
    note: str,
    evidence: UploadedFile,
) -> Spending:
    """Record money spent. Spending above the plan is recorded too: the summary shows it."""
    _require_member(user, line.plan)
    assert evidence.name is not None  # the form's evidence field is required
    spending = Spending(
        line=line,
        spent_on=spent_on,
        amount=amount,
        note=note.strip(),
        evidence=evidence,
        evidence_name=evidence.name[:255],
        recorded_by=user,
    )
    spending.full_clean(exclude=["evidence_name"])
    spending.save()
    return spending


@dataclass
class LineSummary:
    line: BudgetLine
    planned: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.spent

    @property
    def overspent(self) -> bool:
        return self.spent > self.planned


@dataclass
class BudgetSummary:
    fiscal_year: int
    lines: list[LineSummary] = field(default_factory=list)

    @property
    def planned(self) -> Decimal:
        return sum((row.planned for row in self.lines), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((row.spent for row in self.lines), ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.spent

    @property
    def overspent_lines(self) -> list[LineSummary]:
        return [row for row in self.lines if row.overspent]


def budget_summary(plan: Plan, fiscal_year: int) -> BudgetSummary:
    """Planned, spent and remaining of every line of the year, in one query."""
    lines = (
        plan.budget_lines.filter(fiscal_year=fiscal_year)
        .select_related("project")
        .annotate(spent_total=Sum("spendings__amount"))
    )
    return BudgetSummary(
        fiscal_year=fiscal_year,
        lines=[
            LineSummary(line=line, planned=line.planned, spent=line.spent_total or ZERO)
            for line in lines
        ],
    )
