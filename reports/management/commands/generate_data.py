"""Fill a database with a believable large office: schools, people, and years of work.

    .venv/bin/python manage.py generate_data --schools 500 --cases 200000 --years 3 --seed 2569

Every process of the catalogue gets cases spread over the fiscal years (older ones finished,
this year's partly open), each with the tasks and audit events of the steps it went through;
repair-ticket cases get their tickets and loan cases their loans. Rows go in with bulk inserts
in batches, so 200,000 cases with about a million tasks and events take minutes, and the same
seed gives the same data. Use a database of its own: the office it creates is named by
`--office-code` and is replaced on a second run.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import Office, Role, RoleCode, School, User
from core import thaitime
from dmc_emis.models import Round, RoundKind, RoundSchool, SchoolStatus
from equipment_loans.models import ItemCategory, Loan, LoanItem, LoanLine
from processes import timing
from processes.models import (
    Case,
    CaseEvent,
    DefinitionVersion,
    Outcome,
    ProcessDefinition,
    ReferenceCounter,
    StepDefinition,
    StepKind,
    Task,
)
from repairs.models import Category, Priority, RepairTicket

# Share of all cases per process; the rest is spread evenly over the other processes. Data
# rounds are made as rounds with one entry per school (below), not as loose cases.
WEIGHTS = {"repair-ticket": 0.35, "equipment-loan": 0.12, "equipment-use": 0.05}
ROUND_PROCESSES = {"dmc-round", "dmc-round-ack"}
OFFICE_ROLES = [
    (RoleCode.STAFF, 20),
    (RoleCode.GROUP_HEAD, 1),
    (RoleCode.DEPUTY_DIRECTOR, 1),
    (RoleCode.DIRECTOR, 1),
    (RoleCode.ADMIN, 1),
]
SYMPTOMS = [
    "เปิดเครื่องไม่ติด",
    "อินเทอร์เน็ตใช้งานไม่ได้",
    "โปรเจกเตอร์ภาพไม่ขึ้น",
    "เครื่องพิมพ์กระดาษติด",
    "จานดาวเทียม DLTV ไม่มีสัญญาณ",
    "บัญชีผู้ใช้ถูกล็อก",
]


def insert_rows(model, rows: list[tuple]) -> None:
    """Insert plain tuples in the column order of `model` (without its id).

    The bulk of the data (tasks and events) goes in through PostgreSQL's COPY, several times
    faster than INSERT; other databases get bulk_create.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            model(**{f.attname: value for f, value in zip(fields, row, strict=True)})
            for row in rows
        )
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([NULL if v is None else _text(v) for v in row])
    buffer.seek(0)
    columns = ", ".join(f.column for f in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {model._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')",
            buffer,
        )


NULL = r"\N"  # COPY's marker for NULL; an empty field stays an empty string


def _text(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def task_row(case, step, role, started, due, finished=None, actor=None, outcome="") -> tuple:
    """A task in the column order of processes_task (without its id)."""
    status = Task.Status.DONE if finished else Task.Status.OPEN
    return (
        *(case.pk, step.pk, 0, role, None, status, started, due, None, "", 0, finished),
        *(actor.pk if actor else None, None, outcome, "", "{}", None, None, None),
    )


def event_row(case, kind, at, *, actor=None, from_step=None, to_step=None, outcome="") -> tuple:
    """An audit event in the column order of processes_caseevent (without its id)."""
    return (
        *(case.pk, None, kind, actor.pk if actor else None, None, at),
        *(from_step.pk if from_step else None, to_step.pk if to_step else None, outcome, ""),
    )


@dataclass
class Path:
    """The steps a case walks when each decision takes the first way on (approve, done)."""

    version: DefinitionVersion
    steps: list[tuple[StepDefinition, str]]  # (step, the outcome that leaves it)
    prefix: str


def walk(version: DefinitionVersion) -> Path:
    # Keyed by pk; a step without a way on looks up None and finds nothing.
    steps: dict[int | None, StepDefinition] = {s.pk: s for s in version.steps.all()}
    exits: dict[int, dict[str, int]] = {}
    for transition in version.transitions.all():
        exits.setdefault(transition.from_step_id, {})[transition.outcome] = transition.to_step_id
    step = version.first_step()
    path: list[tuple[StepDefinition, str]] = []
    seen = set()
    while step is not None and step.kind != StepKind.END and step.pk not in seen:
        seen.add(step.pk)
        outcomes = [value for value, _label in step.outcomes]
        outcome = Outcome.APPROVE if Outcome.APPROVE in outcomes else outcomes[0]
        if step.kind in (StepKind.TASK, StepKind.APPROVAL, StepKind.ACKNOWLEDGE):
            path.append((step, outcome))
        step = steps.get(exits.get(step.pk, {}).get(outcome))
    return Path(version=version, steps=path, prefix=version.definition.reference_prefix)


class Command(BaseCommand):
    help = "Generate a large office with years of cases, tickets and loans (bulk, reproducible)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schools", type=int, default=500)
        parser.add_argument("--cases", type=int, default=200_000)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=2569)
        parser.add_argument("--office-code", default="GEN1")
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        self.rng = random.Random(options["seed"])
        if not ProcessDefinition.objects.exists():
            call_command("load_catalogue", verbosity=0)
        with transaction.atomic():
            office = self._office(options["office_code"], options["schools"])
            self._people(office)
        self.items = self._loan_items(office)
        paths = self._paths()
        totals = {"cases": 0, "tasks": 0, "events": 0, "tickets": 0, "loans": 0}
        self.today = timezone.localdate()
        self.span_days = 365 * options["years"]
        first_year = thaitime.fiscal_year_of(self.today - datetime.timedelta(days=self.span_days))
        years = list(range(first_year, thaitime.fiscal_year_of(self.today) + 1))
        for first in range(0, options["cases"], options["batch"]):
            size = min(options["batch"], options["cases"] - first)
            with transaction.atomic():
                counts = self._batch(office, paths, years, size)
            for key, value in counts.items():
                totals[key] += value
            self.stdout.write(f"  {first + size:>9,} cases", ending="\r")
            self.stdout.flush()
        totals["round entries"] = self._rounds(office, years)
        self._finish(office)
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{options['schools']} schools, "
                + ", ".join(f"{value:,} {key}" for key, value in totals.items())
                + f" in {seconds:.0f} s"
            )
        )

    # -----------------------------------------------------------------------------------------

    def _office(self, code: str, n_schools: int) -> Office:
        old = Office.objects.filter(code=code).first()
        if old is not None:
            self.stdout.write(f"replacing office {code} ...")
            cases = Case.objects.filter(office=old)
            Round.objects.filter(office=old).delete()
            LoanLine.objects.filter(loan__office=old).delete()
            Loan.objects.filter(office=old).delete()
            LoanItem.objects.filter(office=old).delete()
            RepairTicket.objects.filter(office=old).delete()
            with connection.cursor() as cursor:  # audit rows refuse deletion through the ORM
                cursor.execute(
                    f"DELETE FROM {CaseEvent._meta.db_table} WHERE case_id IN "
                    f"(SELECT id FROM {Case._meta.db_table} WHERE office_id = %s)",
                    [old.pk],
                )
            Task.objects.filter(case__in=cases).delete()
            cases.delete()
            User.objects.filter(office=old).delete()
            School.objects.filter(office=old).delete()
            old.delete()
        office = Office.objects.create(
            code=code, name_th=f"สพป.ข้อมูลทดสอบ {code}", kind=Office.Kind.PRIMARY
        )
        number = int.from_bytes(code.encode(), "big") % 90 + 10
        School.objects.bulk_create(
            School(
                office=office,
                obec_code=f"{number}{i:08d}",
                smis_code=f"{number % 10}{i:07d}",
                name_th=f"โรงเรียนบ้านทดสอบ {i + 1}",
                district=f"อำเภอ {i % 12 + 1}",
            )
            for i in range(n_schools)
        )
        return office

    def _people(self, office: Office) -> None:
        password = make_password("demo1234")
        roles = {role.code: role for role in Role.objects.all()}
        users: list[tuple[User, str]] = []
        for code, count in OFFICE_ROLES:
            for n in range(count):
                users.append(
                    (
                        User(
                            username=f"{office.code.lower()}-{code}-{n + 1}",
                            first_name=f"{code} {n + 1}",
                            office=office,
                            password=password,
                            is_staff=code == RoleCode.ADMIN,
                        ),
                        code,
                    )
                )
        for school in office.schools.all():
            for code in (RoleCode.SCHOOL_USER, RoleCode.SCHOOL_DIRECTOR):
                users.append(
                    (
                        User(
                            username=f"{office.code.lower()}-{school.obec_code}-{code}",
                            first_name=f"ครู {school.name_th}",
                            office=office,
                            school=school,
                            password=password,
                        ),
                        code,
                    )
                )
        created = User.objects.bulk_create([user for user, _code in users])
        through = User.roles.through
        through.objects.bulk_create(
            through(user_id=user.pk, role_id=roles[code].pk)
            for user, (_unused, code) in zip(created, users, strict=True)
        )
        self.staff = list(User.objects.filter(office=office, roles__code=RoleCode.STAFF))
        self.approvers: dict[str, User | None] = {
            code: User.objects.filter(office=office, roles__code=code).first()
            for code in (RoleCode.GROUP_HEAD, RoleCode.DEPUTY_DIRECTOR, RoleCode.DIRECTOR)
        }
        self.school_users = {
            user.school_id: user
            for user in User.objects.filter(office=office, roles__code=RoleCode.SCHOOL_USER)
        }
        self.schools = list(office.schools.all())

    def _loan_items(self, office: Office) -> list[LoanItem]:
        kinds = [ItemCategory.PROJECTOR, ItemCategory.NOTEBOOK, ItemCategory.CAMERA]
        items = [
            LoanItem(office=office, name=f"{kind.label} {n + 1}", category=kind)
            for kind in kinds
            for n in range(10)
        ]
        items.append(
            LoanItem(office=office, name="แท็บเล็ต", category=ItemCategory.TABLET, quantity=40)
        )
        return LoanItem.objects.bulk_create(items)

    def _paths(self) -> list[tuple[Path, float]]:
        versions = DefinitionVersion.objects.filter(
            status=DefinitionVersion.Status.PUBLISHED
        ).select_related("definition")
        paths = [walk(version) for version in versions]
        paths = [
            path
            for path in paths
            if path.steps and path.version.definition.code not in ROUND_PROCESSES
        ]
        rest = [p for p in paths if p.version.definition.code not in WEIGHTS]
        left = max(0.0, 1 - sum(WEIGHTS.values()))
        return [
            (path, WEIGHTS.get(path.version.definition.code, left / max(1, len(rest))))
            for path in paths
        ]

    # -----------------------------------------------------------------------------------------

    def _batch(self, office: Office, paths, years: list[int], size: int) -> dict[str, int]:
        rng = self.rng
        now = timezone.now()
        chosen = rng.choices([p for p, _w in paths], weights=[w for _p, w in paths], k=size)
        cases, plans = [], []
        for path in chosen:
            # Work arrives evenly over the span, so this year's cases are as many as its days.
            start = self.today - datetime.timedelta(days=rng.randrange(self.span_days))
            year = thaitime.fiscal_year_of(start)
            started_at = timezone.make_aware(
                datetime.datetime.combine(
                    start, datetime.time(8 + rng.randrange(8), rng.randrange(60))
                )
            )
            recent = (timezone.localdate() - start).days < 45
            finished = not recent or rng.random() < 0.4
            done_steps = len(path.steps) if finished else rng.randrange(len(path.steps))
            school = rng.choice(self.schools) if path.prefix in ("RP", "LN") else None
            requester = self.school_users.get(school.pk) if school else rng.choice(self.staff)
            rejected = finished and rng.random() < 0.04
            cases.append(
                Case(
                    office=office,
                    version=path.version,
                    reference="",  # numbered below, per prefix and year
                    title=f"{path.version.definition.title_th[:80]} ({start:%d/%m})",
                    fiscal_year=year,
                    requester=requester,
                    school=school,
                    state=Case.State.REJECTED
                    if rejected
                    else (Case.State.COMPLETED if finished else Case.State.RUNNING),
                    started_at=started_at,
                )
            )
            plans.append((path, done_steps, finished))
        for case in cases:
            case.reference = self._next_reference(case)
        cases = Case.objects.bulk_create(cases)

        tasks, events = [], []
        for case, (path, done_steps, finished) in zip(cases, plans, strict=True):
            events.append(
                event_row(
                    case,
                    CaseEvent.Kind.STARTED,
                    case.started_at,
                    actor=case.requester,
                    to_step=path.steps[0][0],
                )
            )
            moment = case.started_at
            for index, (step, outcome) in enumerate(path.steps[: done_steps + (not finished)]):
                due = timing.due_on_for(step, start=timezone.localdate(moment), case_data=case.data)
                is_done = index < done_steps
                actor = self._actor(step, case)
                took = datetime.timedelta(
                    hours=rng.randrange(2, 24 * ((timing.standard_number(step) or 5) + 2))
                )
                end = min(moment + took, now)  # work of recent cases is squeezed, not future
                role = (
                    step.chain_for(case)[0] if step.kind == StepKind.APPROVAL else step.responsible
                )
                tasks.append(
                    task_row(case, step, role, moment, due, end, actor, outcome)
                    if is_done
                    else task_row(case, step, role, moment, due)
                )
                if is_done:
                    events.append(
                        event_row(
                            case,
                            CaseEvent.Kind.DECIDED,
                            end,
                            actor=actor,
                            from_step=step,
                            outcome=outcome,
                        )
                    )
                    moment = end
                else:
                    break
            if finished:
                case.closed_at = moment
                events.append(event_row(case, CaseEvent.Kind.CLOSED, moment))
        insert_rows(Task, tasks)
        insert_rows(CaseEvent, events)
        Case.objects.bulk_update([c for c in cases if c.closed_at], ["closed_at"])
        tickets = self._tickets(office, cases)
        loans = self._loans(office, cases)
        return {
            "cases": len(cases),
            "tasks": len(tasks),
            "events": len(events),
            "tickets": tickets,
            "loans": loans,
        }

    def _actor(self, step: StepDefinition, case: Case) -> User:
        if step.kind == StepKind.APPROVAL:
            role = step.chain_for(case)[-1]
            approver = self.approvers.get(role) or self.approvers[RoleCode.GROUP_HEAD]
            assert approver is not None  # the generated office has its group head
            return approver
        if step.responsible in ("requester", RoleCode.SCHOOL_USER):
            return case.requester
        return self.rng.choice(self.staff)

    def _next_reference(self, case: Case) -> str:
        prefix = case.version.definition.reference_prefix
        key = (prefix, case.fiscal_year)
        counters = self.__dict__.setdefault("counters", {})
        if key not in counters:
            counters[key] = (
                ReferenceCounter.objects.filter(prefix=prefix, fiscal_year=case.fiscal_year)
                .values_list("last_number", flat=True)
                .first()
                or 0
            )
        counters[key] += 1
        return f"{prefix}-{case.fiscal_year}-{counters[key]:06d}"

    def _tickets(self, office: Office, cases: list[Case]) -> int:
        rng = self.rng
        status_of: dict[str, RepairTicket.Status] = {
            Case.State.COMPLETED: RepairTicket.Status.CLOSED,
            Case.State.REJECTED: RepairTicket.Status.CANCELLED,
            Case.State.RUNNING: RepairTicket.Status.IN_PROGRESS,
        }
        tickets = [
            RepairTicket(
                office=office,
                school=case.school,
                case=case,
                reference=case.reference,
                requester=case.requester,
                category=rng.choice(Category.values),
                symptom=rng.choice(SYMPTOMS),
                location="ห้องคอมพิวเตอร์",
                urgency=rng.choice(Priority.values),
                priority=rng.choice(Priority.values),
                contact_phone="0800000000",
                technician=rng.choice(self.staff),
                status=status_of[case.state],
                resolve_due_on=thaitime.add_working_days(timezone.localdate(case.started_at), 5),
                first_response_at=case.started_at + datetime.timedelta(hours=rng.randrange(1, 9)),
                resolved_at=case.closed_at,
                closed_at=case.closed_at,
                satisfaction=rng.choice([3, 4, 4, 5, 5, 5]) if case.closed_at else None,
            )
            for case in cases
            if case.version.definition.code == "repair-ticket"
        ]
        RepairTicket.objects.bulk_create(tickets)
        return len(tickets)

    def _loans(self, office: Office, cases: list[Case]) -> int:
        rng = self.rng
        loans, lines = [], []
        for case in cases:
            if case.version.definition.code not in ("equipment-loan", "equipment-use"):
                continue
            starts = timezone.localdate(case.started_at) + datetime.timedelta(
                days=rng.randrange(1, 10)
            )
            ends = starts + datetime.timedelta(days=rng.randrange(0, 5))
            done = case.state != Case.State.RUNNING
            loan = Loan(
                office=office,
                case=case,
                reference=case.reference,
                kind=Loan.Kind.USE if case.reference.startswith("LU") else Loan.Kind.BORROW,
                requester=case.requester,
                school=case.school,
                purpose="ใช้ในกิจกรรมการเรียนการสอน",
                starts_on=starts,
                ends_on=ends,
                pickup_place="ห้องกลุ่ม",
                return_place="ห้องกลุ่ม",
                contact_phone="0800000000",
                status=Loan.Status.RETURNED if done else Loan.Status.PENDING,
                returned_at=case.closed_at,
            )
            loans.append(loan)
            lines.append(
                LoanLine(
                    loan=loan,
                    item=rng.choice(self.items),
                    quantity=1,
                    starts_on=starts,
                    ends_on=ends,
                    # Generated bookings never hold stock, so they cannot overbook an item.
                    holds=False,
                )
            )
        Loan.objects.bulk_create(loans)
        LoanLine.objects.bulk_create(lines)
        return len(loans)

    def _rounds(self, office: Office, years: list[int]) -> int:
        """DMC term 1 and 2 and year-end rounds of each year, every school in each; past rounds
        mostly acknowledged, a few schools late, the current one under way."""
        rng = self.rng
        today = timezone.localdate()
        entries = []
        statuses = [s for s, _label in SchoolStatus.choices]
        for fiscal_year in years:
            academic = fiscal_year - 1  # the academic year that starts in the fiscal year's May
            ad = academic - 543
            for kind, deadline in (
                (RoundKind.DMC_TERM1, datetime.date(ad, 6, 10)),
                (RoundKind.DMC_TERM2, datetime.date(ad, 11, 10)),
                (RoundKind.YEAR_END, datetime.date(ad + 1, 4, 30)),
            ):
                opens = deadline - datetime.timedelta(days=30)
                if opens > today:
                    continue
                data_round = Round.objects.create(
                    office=office,
                    kind=kind,
                    academic_year=academic,
                    title=f"{RoundKind(kind).label} {academic}",
                    opens_on=opens,
                    deadline_on=deadline,
                    opened_at=timezone.make_aware(
                        datetime.datetime.combine(opens, datetime.time(9))
                    ),
                )
                finished = deadline < today
                assert data_round.opened_at is not None  # set just above
                for school in self.schools:
                    status: str
                    if finished:
                        status = rng.choices(
                            [
                                SchoolStatus.ACKNOWLEDGED,
                                SchoolStatus.CERTIFIED,
                                SchoolStatus.CONFIRMED,
                            ],
                            weights=[90, 7, 3],
                        )[0]
                    else:
                        status = rng.choice(statuses)
                    entries.append(
                        RoundSchool(
                            round=data_round,
                            school=school,
                            status=status,
                            male=rng.randrange(20, 400),
                            female=rng.randrange(20, 400),
                            last_activity_at=data_round.opened_at
                            + datetime.timedelta(days=rng.randrange(30), hours=rng.randrange(8)),
                        )
                    )
        RoundSchool.objects.bulk_create(entries, batch_size=5000)
        return len(entries)

    def _finish(self, office: Office) -> None:
        """Counters past the generated numbers, filing dates from the cases, fresh statistics."""
        for (prefix, year), number in getattr(self, "counters", {}).items():
            ReferenceCounter.objects.update_or_create(
                prefix=prefix, fiscal_year=year, defaults={"last_number": number}
            )
        started = Case.objects.filter(pk=OuterRef("case_id")).values("started_at")[:1]
        RepairTicket.objects.filter(office=office).update(created_at=Subquery(started))
        Loan.objects.filter(office=office).update(created_at=Subquery(started))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
