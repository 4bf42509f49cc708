"""Trainings in the reports (reports/registry.py): in the dossier of the case that held them
(sessions, participants, attendance, the evaluation's results with its charts, certificates)
and in the yearly report (trainings of the cases of that fiscal year)."""

from __future__ import annotations

from django.db.models import Count, Q

from accounts.models import Office
from core.charts import format_number
from core.registry import Section, Table, register_case_section, register_section
from core.thaitime import format_thai_date
from trainings import charts
from trainings.models import Training
from trainings.selectors import evaluation_results


def _hours(value) -> str:
    return format_number(float(value or 0))


def _mean(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _training_tables(training: Training) -> tuple[list[Table], list[str], list[tuple]]:
    sessions = list(training.sessions.annotate(present=Count("attendance")))
    summary = evaluation_results(training)
    participants = summary.participants
    certificates = training.certificates.filter(cancelled_at__isnull=True).count()
    figures = [
        (f"{training.title}: ผู้ลงทะเบียน (คน)", participants),
        (f"{training.title}: ตอบแบบประเมิน (คน)", summary.responses),
        (
            f"{training.title}: ความพึงพอใจโดยรวม",
            f"{_mean(summary.overall_mean)} {summary.overall_reading}",
        ),
        (f"{training.title}: เกียรติบัตรที่ออก (ฉบับ)", certificates),
    ]
    tables = [
        Table(
            title=f"รอบการอบรม: {training.title}",
            headers=["วันที่", "หัวข้อ", "สถานที่/ออนไลน์", "ชั่วโมง", "เข้าร่วม (คน)"],
            rows=[
                [
                    format_thai_date(s.date, "short", language="th"),
                    s.topic or "—",
                    s.place or s.online_link,
                    _hours(s.hours),
                    s.present,
                ]
                for s in sessions
            ],
        ),
        Table(
            title=f"ผลการประเมินความพึงพอใจ: {training.title}",
            headers=["ข้อ", "มากที่สุด", "มาก", "ปานกลาง", "น้อย", "น้อยที่สุด", "ค่าเฉลี่ย", "S.D.", "ระดับ"],
            rows=[
                [
                    f"{q.question.position}. {q.question.text}",
                    *[count for _level, count in q.counts],
                    _mean(q.mean),
                    _mean(q.sd),
                    q.reading or "—",
                ]
                for q in summary.ratings
            ],
            note="เกณฑ์: 4.51-5.00 มากที่สุด, 3.51-4.50 มาก, 2.51-3.50 ปานกลาง, "
            "1.51-2.50 น้อย, 1.00-1.50 น้อยที่สุด",
        ),
    ]
    for open_question in summary.open_answers:
        if open_question.texts:
            tables.append(
                Table(
                    title=f"{open_question.question.text} ({training.title})",
                    headers=["คำตอบ"],
                    rows=[[text] for text in open_question.texts[:100]],
                )
            )
    return tables, charts.result_charts(summary), figures


def case_trainings_section(case) -> Section | None:
    trainings = list(Training.objects.filter(case=case).order_by("created_at", "pk"))
    if not trainings:
        return None
    section = Section(key="trainings", title="การอบรม")
    for training in trainings:
        tables, chart_list, figures = _training_tables(training)
        section.figures += figures
        section.tables += tables
        section.charts += chart_list
    return section


def trainings_section(office: Office, fiscal_year: int) -> Section | None:
    trainings = list(
        Training.objects.filter(office=office, case__fiscal_year=fiscal_year)
        .select_related("case__version__definition")
        .annotate(
            people=Count("participants", distinct=True),
            certified=Count(
                "certificates", filter=Q(certificates__cancelled_at__isnull=True), distinct=True
            ),
        )
        .order_by("created_at", "pk")
    )
    if not trainings:
        return None
    rows = []
    for training in trainings:
        summary = evaluation_results(training)
        rows.append(
            [
                training.title,
                training.case.version.definition.title_th,
                _hours(training.total_hours),
                training.people,
                training.certified,
                f"{_mean(summary.overall_mean)} {summary.overall_reading}".strip(),
            ]
        )
    return Section(
        key="trainings",
        title="การอบรม",
        figures=[
            ("จำนวนการอบรม", len(trainings)),
            ("ผู้เข้ารับการอบรม (คน)", sum(t.people for t in trainings)),
            ("เกียรติบัตรที่ออก (ฉบับ)", sum(t.certified for t in trainings)),
        ],
        tables=[
            Table(
                title="การอบรมในปีงบประมาณ",
                headers=["การอบรม", "กระบวนงาน", "ชั่วโมง", "ผู้ลงทะเบียน", "เกียรติบัตร", "ความพึงพอใจ"],
                rows=rows,
            )
        ],
    )


register_case_section("trainings", case_trainings_section, order=20)
register_section("trainings", trainings_section, order=60)
