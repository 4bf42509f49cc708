"""What a บันทึกข้อความ of an approval says, as plain data.

`memo_content(case, task)` reads the case once and returns a JSON-ready dict: every text the
memo prints is written out here (Thai dates in words, numbers grouped, tables with Thai headers,
decisions in words), so the document issued at the decision is rendered from what was true at
the decision, never from the live case. The template (documents/pdf/memo.html) only lays it out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from accounts.models import Delegation
from core import thaitime
from processes.form_schema import field_label
from processes.models import Case, Outcome, Responsible, StepKind, Task
from processes.selectors import names_in_form_order, submissions_for

ACTING_WORDS: dict[str, str] = {
    Delegation.Kind.ACTING: "รักษาราชการแทน",
    Delegation.Kind.ON_BEHALF: "ปฏิบัติราชการแทน",
}


def long_date(value: datetime.date | None) -> str:
    """'๓ ธันวาคม ๒๕๖๙' as memos write it (digits are applied when printing)."""
    if not value:
        return ""
    return thaitime.format_thai_date(value, "long", language="th").replace("พ.ศ. ", "")


def role_title(role: str, case: Case) -> str:
    """How a document names the holder of `role` for this case's office (เรียน …, signature)."""
    office = case.office
    office_name = _office_name(case)
    if role == Responsible.DIRECTOR:
        return f"ผู้อำนวยการ{office_name}"
    if role == Responsible.DEPUTY_DIRECTOR:
        return f"รองผู้อำนวยการ{office_name}"
    if role == Responsible.GROUP_HEAD:
        return f"ผู้อำนวยการ{_group_name(case) or office.ict_group_name}"
    if role == Responsible.SCHOOL_DIRECTOR and case.school:
        return f"ผู้อำนวยการ{case.school.name_th}"
    if role in Responsible.values:
        return str(Responsible(role).label)
    return role


def _settings(case: Case):
    from documents.selectors import settings_for

    return settings_for(case.office)


def _office_name(case: Case) -> str:
    return _settings(case).office_name


def _group_name(case: Case) -> str:
    return _settings(case).group_name


@dataclass
class SignatureBlock:
    """A typed-name signature: name, position, date; and the acting line when it applies."""

    name: str
    position: str
    date: datetime.datetime | None = None
    acting_words: str = ""  # รักษาราชการแทน / ปฏิบัติราชการแทน
    acting_for_title: str = ""
    order_number: str = ""

    def as_content(self) -> dict[str, str]:
        return {
            "name": self.name,
            "position": self.position,
            "date": long_date(self.date),
            "acting_line": (
                f"{self.acting_words}{self.acting_for_title}" if self.acting_words else ""
            ),
            "order_number": self.order_number,
        }


def _delegation_for(task: Task) -> Delegation | None:
    """The acting order under which `task` was decided (also if revoked since)."""
    if not (task.acting_for_id and task.finished_by_id and task.finished_at):
        return None
    day = timezone.localdate(task.finished_at)
    return (
        Delegation.objects.filter(
            principal_id=task.acting_for_id,
            delegate_id=task.finished_by_id,
            role__code=task.role,
            starts_on__lte=day,
            ends_on__gte=day,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def signature_for(task: Task, case: Case) -> SignatureBlock | None:
    if task.finished_by is None:
        return None
    signer = task.finished_by
    block = SignatureBlock(
        name=signer.display_name,
        position=signer.position or role_title(task.role, case),
        date=task.finished_at,
    )
    if task.acting_for_id:
        delegation = _delegation_for(task)
        kind = delegation.kind if delegation else Delegation.Kind.ACTING
        block.acting_words = ACTING_WORDS[kind]
        block.acting_for_title = role_title(task.role, case)
        block.order_number = delegation.order_number if delegation else ""
        # Acting for someone else: the signer's own position, then the acting line.
        block.position = signer.position or ""
    return block


def approval_round(task: Task) -> list[Task]:
    """The levels of the approval request `task` belongs to: the run of tasks of its step
    that starts at level 0 at or before it and climbs level by level."""
    tasks = list(
        Task.objects.filter(case_id=task.case_id, step_id=task.step_id)
        .select_related("finished_by", "acting_for", "step")
        .order_by("started_at", "pk")
    )
    index = next(i for i, t in enumerate(tasks) if t.pk == task.pk)
    start = index
    while start > 0 and tasks[start].level > 0:
        start -= 1
    round_tasks = [tasks[start]]
    for t in tasks[start + 1 :]:
        if t.level == 0:
            break
        round_tasks.append(t)
    return round_tasks


def _proposer(case: Case, before: datetime.datetime) -> SignatureBlock:
    """Who put the request forward: the last person to finish a work step before the
    approval was asked for; the requester when nobody did."""
    last = (
        Task.objects.filter(
            case=case,
            status=Task.Status.DONE,
            finished_at__lte=before,
            finished_by__isnull=False,
            step__kind=StepKind.TASK,
        )
        .select_related("finished_by")
        .order_by("-finished_at", "-pk")
        .first()
    )
    person = last.finished_by if last and last.finished_by else case.requester
    position = person.position or (role_title(last.role, case) if last else "")
    if not position and person.school is not None:
        position = f"{person.school.name_th}"
    return SignatureBlock(
        name=person.display_name,
        position=position,
        date=last.finished_at if last else case.started_at,
    )


# ---------------------------------------------------------------------------------------------
# Field values as prose or tables, never raw
# ---------------------------------------------------------------------------------------------


def format_number(value: Any) -> str:
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def format_value(spec: dict[str, Any], value: Any) -> str:
    """One field's value as a reader expects it: dates in words, numbers grouped, lists joined."""
    kind = spec.get("type", "text")
    if value in (None, "", []):
        return "-"
    if kind == "date":
        try:
            return long_date(datetime.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if kind == "number":
        return format_number(value)
    if isinstance(value, list):
        return ", ".join(format_value({}, item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {format_value({}, v)}" for k, v in value.items())
    if isinstance(value, int | float):
        return format_number(value)
    return str(value)


_COLUMN_WEIGHTS = {"number": 1.4, "date": 2.4, "choice": 2.0}


def _table(spec: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    columns = spec.get("columns") or []
    if not columns:  # a table without a described shape: take its keys as they are
        names = list(dict.fromkeys(k for row in rows for k in row))
        columns = [{"name": n} for n in names]
    # Widths by what a column holds: text gets the room, numbers and dates what they need
    # (equal columns wrapped "เครื่องคอมพิวเตอร์" over three lines beside wide number columns).
    weights = [_COLUMN_WEIGHTS.get(c.get("type", "text"), 3.0) for c in columns]
    seq_share = 8.0  # per cent for ลำดับ
    widths = [round((100 - seq_share) * w / sum(weights), 1) for w in weights] if weights else []
    return {
        "label": field_label(spec) if spec.get("name") else "",
        "widths": [seq_share, *widths],
        "headers": ["ลำดับ"] + [field_label(c) for c in columns],
        "rows": [
            [{"text": str(i), "num": True}]
            + [
                {"text": format_value(c, row.get(c["name"])), "num": c.get("type") == "number"}
                for c in columns
            ]
            for i, row in enumerate(rows, start=1)
        ],
    }


def _submission_content(submission) -> dict[str, Any]:
    specs = {spec["name"]: spec for spec in submission.task.step.form_schema}
    facts: list[dict[str, str]] = []
    tables: list[dict[str, Any]] = []
    data = submission.task.data
    for name in names_in_form_order(data, submission.task.step.form_schema):
        value = data[name]
        spec = specs.get(name, {"name": name})
        if spec.get("type") == "table" or (
            isinstance(value, list) and value and isinstance(value[0], dict)
        ):
            tables.append(_table(spec, value or []))
        else:
            facts.append({"label": field_label(spec), "value": format_value(spec, value)})
    task = submission.task
    return {
        "step": task.step.name_th,
        "by": task.finished_by.display_name if task.finished_by else "",
        "date": long_date(task.finished_at),
        "facts": facts,
        "tables": tables,
        "files": [f.original_name for f in submission.files],
    }


# ---------------------------------------------------------------------------------------------
# Words of the decisions
# ---------------------------------------------------------------------------------------------


def opinion_words(task: Task, *, final: bool) -> str:
    """An endorsement in words: the opinion of a level below, the decision of the last one."""
    outcome = task.outcome
    if not outcome:
        return ""
    words: dict[str, str]
    if final:
        words = {
            Outcome.APPROVE: "อนุมัติ",
            Outcome.REJECT: "ไม่อนุมัติ",
            Outcome.RETURN: "ให้ส่งกลับแก้ไข",
            Outcome.ACKNOWLEDGE: "ทราบ",
        }
        return words.get(outcome, str(task.outcome_label))
    words = {
        Outcome.APPROVE: "เห็นควรอนุมัติ",
        Outcome.REJECT: "เห็นควรไม่อนุมัติ",
        Outcome.RETURN: "เห็นควรแก้ไข",
    }
    return words.get(outcome, str(task.outcome_label))


def closing_words(step_name: str, *, report: bool = False) -> str:
    if report or ("ทราบ" in step_name and "อนุมัติ" not in step_name):
        return "จึงเรียนมาเพื่อโปรดทราบ"
    if "อนุมัติ" in step_name:
        return "จึงเรียนมาเพื่อโปรดพิจารณาอนุมัติ"
    return "จึงเรียนมาเพื่อโปรดพิจารณา"


def subject_words(case: Case, step_name: str, *, report: bool = False) -> str:
    if report:  # a report to the director (an acknowledgement step)
        return f"รายงานผลการดำเนินงาน{case.title}"
    if "ทราบ" in step_name and "อนุมัติ" not in step_name:
        return f"รายงาน{case.title}"
    if "อนุมัติ" in step_name:
        return f"ขออนุมัติ{case.title}"
    return f"ขอเสนอ{case.title}"


def memo_content(case: Case, task: Task) -> dict[str, Any]:
    """The memo of the approval round `task` belongs to, as it stands now."""
    settings = _settings(case)
    levels = approval_round(task)
    first = levels[0]
    chain = task.step.chain_for(case)
    final_role = chain[-1] if chain else task.role
    submissions = [
        s
        for s in submissions_for([case])[case.pk]
        if s.task.finished_at
        and s.task.finished_at <= first.started_at
        and (s.task.data or s.files)
        and s.task.step.kind == StepKind.TASK
    ]
    endorsements = []
    for t in levels:
        is_last_level = t.level + 1 >= len(chain)
        signature = signature_for(t, case)
        endorsements.append(
            {
                "level": t.level + 1,
                # A level below writes to the next one up (เรียน …); the last one decides.
                "to": "" if is_last_level else role_title(chain[t.level + 1], case),
                "title": role_title(t.role, case),
                "decided": bool(t.outcome),
                "opinion": opinion_words(t, final=is_last_level),
                "final": is_last_level,
                "comment": t.comment,
                "signature": signature.as_content() if signature else None,
            }
        )
    decided = [t for t in levels if t.outcome]
    last = decided[-1] if decided else None
    final_decision = ""
    if last and (
        last.outcome in (Outcome.REJECT, Outcome.ACKNOWLEDGE)
        or (last.outcome == Outcome.APPROVE and last.level + 1 >= len(chain))
    ):
        final_decision = opinion_words(last, final=True)
    department = " ".join(part for part in (settings.group_name, settings.office_name) if part)
    if settings.telephone:
        department += f" โทร. {settings.telephone}"
    requester = case.requester
    if case.school is not None:
        background = (
            f"ด้วย{case.school.name_th} โดย{requester.display_name} ได้ยื่นเรื่อง "
            f"“{case.title}” ตามกระบวนงาน{case.version.definition.title_th} "
            f"เมื่อวันที่ {long_date(case.started_at)} (เลขที่เรื่อง {case.reference})"
        )
    else:
        background = (
            f"ด้วย{settings.group_name or settings.office_name} ได้ดำเนินการเรื่อง "
            f"“{case.title}” ตามกระบวนงาน{case.version.definition.title_th} "
            f"ตั้งแต่วันที่ {long_date(case.started_at)} (เลขที่เรื่อง {case.reference})"
        )
    proposer = _proposer(case, first.started_at)
    attachments = [name for s in submissions for name in (f.original_name for f in s.files)]
    # An acknowledgement step is a report to the director: รายงานผลการดำเนินงาน, เพื่อโปรดทราบ.
    report = task.step.kind == StepKind.ACKNOWLEDGE
    if report:
        facts_intro = "บัดนี้ การดำเนินงานดังกล่าวเสร็จสิ้นแล้ว จึงขอรายงานผลการดำเนินงาน" + (
            " โดยมีรายละเอียดดังนี้" if submissions else ""
        )
    elif submissions:
        facts_intro = "บัดนี้ ได้ดำเนินการตามขั้นตอนเรียบร้อยแล้ว โดยมีรายละเอียดดังนี้"
    else:
        facts_intro = "บัดนี้ เรื่องดังกล่าวพร้อมเสนอเพื่อพิจารณาแล้ว"
    return {
        "office_name": settings.office_name,
        "letter_prefix": settings.letter_prefix,
        "department": department,
        "date": long_date(first.started_at),
        "subject": subject_words(case, task.step.name_th, report=report),
        "addressee": role_title(final_role, case),
        "background": background,
        "facts_intro": facts_intro,
        "submissions": [_submission_content(s) for s in submissions],
        "attachments": attachments,
        "closing": closing_words(task.step.name_th, report=report),
        "proposer": proposer.as_content(),
        "endorsements": endorsements,
        "decision": final_decision,
        "reference": case.reference,
        "step": task.step.name_th,
    }
