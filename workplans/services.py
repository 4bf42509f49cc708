"""Writes for plans, surveys, follow-up and spec drafts. Every case move goes through the
engine's `task_complete`; these functions check who may write and keep the domain rows with it."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleCode, User
from core.uploads import check_uploads
from processes.models import Outcome, ProcessDefinition, Task
from processes.selectors import role_holders
from processes.services import case_start, notify, task_complete
from workplans.models import (
    DEFINITION_BY_KIND,
    Activity,
    ActivityProgress,
    Answer,
    KPIResult,
    Plan,
    PlanAttachment,
    PlanComment,
    PublishedPlanPdf,
    Question,
    Section,
    SpecDraft,
    SpecDraftLine,
    SpecItem,
    Survey,
    SurveyResponse,
)
from workplans.selectors import (
    can_edit_plan,
    can_edit_spec_draft,
    can_follow_up,
    is_group_member,
)

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, user: User, kind: str, title: str, fiscal_year_start: int, fiscal_year_end: int
) -> Plan:
    """A new plan and the case of its kind's process that drives it."""
    if not is_group_member(user, user.office_id):
        raise PermissionDenied(_("Only the office's staff and group head draft plans."))
    definition = ProcessDefinition.objects.filter(code=DEFINITION_BY_KIND.get(kind)).first()
    if definition is None:
        raise ValidationError({"kind": _("The process for this kind of plan is not loaded.")})
    plan = Plan(
        office=user.office,
        kind=kind,
        title=title.strip(),
        fiscal_year_start=fiscal_year_start,
        fiscal_year_end=fiscal_year_end,
        created_by=user,
    )
    plan.full_clean()
    plan.save()
    plan.case = case_start(
        definition=definition, requester=user, title=plan.title, office=plan.office, subject=plan
    )
    plan.save(update_fields=["case"])
    return plan


def _lock_editable(plan: Plan, user: User) -> Plan:
    """Lock the plan row and check, under the lock, that the user may still edit it."""
    plan = Plan.objects.select_for_update(of=("self",)).select_related("case").get(pk=plan.pk)
    if not can_edit_plan(user, plan):
        raise PermissionDenied(_("This plan can only be changed by its group while drafting."))
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, user: User, form) -> Plan:
    """Save the plan's own fields (title, years, vision and goals, appointing order)."""
    _lock_editable(plan, user)
    return form.save()


@transaction.atomic
def plan_save_rows(*, plan: Plan, user: User, formset) -> None:
    """Save one section's rows (strategies, projects, activities, KPIs, members)."""
    _lock_editable(plan, user)
    formset.save()


@transaction.atomic
def plan_attach(*, plan: Plan, user: User, label: str, uploads: Sequence[UploadedFile]) -> None:
    plan = _lock_editable(plan, user)
    if not uploads:
        raise ValidationError({"files": _("Choose a file to attach.")})
    check_uploads(uploads)
    for upload in uploads:
        assert upload.name is not None  # an uploaded file always has its name
        PlanAttachment.objects.create(
            plan=plan,
            label=label.strip() or upload.name,
            file=upload,
            original_name=upload.name,
            uploaded_by=user,
        )


@transaction.atomic
def plan_detach(*, attachment: PlanAttachment, user: User) -> None:
    _lock_editable(attachment.plan, user)
    attachment.file.delete(save=False)
    attachment.delete()


def plan_decide(
    *,
    plan: Plan,
    task: Task,
    user: User,
    outcome: str,
    signed_name: str = "",
    comments: Mapping[str, str] | None = None,
) -> Task:
    """An approver's decision from the reading view.

    Approve: carries the typed-name signature into the engine's task data (the plan's hook
    checks it against the director). Return or not passed: needs at least one comment; each
    comment is kept against its section so the drafters find it where it applies.
    """
    if task.case_id != plan.case_id:
        raise ValidationError(_("This step is not part of this plan."))
    remarks = {
        section: text.strip()
        for section, text in (comments or {}).items()
        if section in Section.values and (text or "").strip()
    }
    with transaction.atomic():
        if outcome == Outcome.APPROVE:
            return task_complete(
                task=task,
                user=user,
                outcome=outcome,
                data={"signed_name": signed_name.strip()},
            )
        if outcome not in (Outcome.RETURN, Outcome.REJECT):
            raise ValidationError({"outcome": _("This decision is not possible at this step.")})
        if not remarks:
            raise ValidationError(
                {"comment": _("Please write at least one comment for the drafters.")}
            )
        summary = "\n".join(
            f"[{Section(section).label}] {text}" for section, text in remarks.items()
        )
        decided = task_complete(task=task, user=user, outcome=outcome, comment=summary)
        PlanComment.objects.bulk_create(
            PlanComment(plan=plan, task=decided, section=section, body=text, author=user)
            for section, text in remarks.items()
        )
        return decided


def _public_slug() -> str:
    while True:
        slug = secrets.token_urlsafe(9).lower().replace("_", "-")
        if not Plan.objects.filter(public_slug=slug).exists():
            return slug


def plan_mark_approved(*, plan: Plan, user: User | None, signature: str) -> None:
    """Called by the hook when the last approval level approves: the plan gets its public page."""
    plan.status = Plan.Status.APPROVED
    plan.approved_at = timezone.now()
    plan.approved_by = user
    plan.approval_signature = signature
    plan.public_slug = plan.public_slug or _public_slug()
    plan.save(
        update_fields=["status", "approved_at", "approved_by", "approval_signature", "public_slug"]
    )
    # The public PDF of this version is rendered by a worker now, before anyone asks for it.
    transaction.on_commit(lambda: published_pdf_queue(plan))


def published_version(plan: Plan) -> str:
    """What names one approved version of a plan: approving it again after a revision (a
    rejected plan goes back to drafting) gives a new version, so a new public PDF."""
    # A plan marked approved by hand (the admin, old data) may lack the time: its last change.
    return (plan.approved_at or plan.updated_at).isoformat()


def published_pdf_stored(plan: Plan) -> PublishedPlanPdf | None:
    """The kept public PDF of the plan's approved version, None while it is not rendered."""
    return PublishedPlanPdf.objects.filter(plan=plan, version=published_version(plan)).first()


def published_pdf_queue(plan: Plan) -> None:
    """Ask a worker to render the public PDF of the plan's approved version; asked once a
    minute at most however many visitors wait for it (the worker renders it once anyway)."""
    from workplans.tasks import render_published_pdf_task

    if not cache.add(f"workplans:published-pdf:{plan.pk}:{published_version(plan)}", 1, 60):
        return
    try:
        render_published_pdf_task.delay(plan.pk)
    except Exception:  # a broker outage: the next visitor after a minute asks again
        logger.warning("Broker unavailable; the public PDF of plan %s waits.", plan.pk)


def published_pdf_get(*, plan: Plan) -> PublishedPlanPdf:
    """The stored public PDF of the plan's approved version, rendered and stored the first time
    (in the worker, workplans.tasks). The plan row is locked while rendering, so two workers
    at once render it once; later calls only read the stored file."""
    from workplans.pdf import public_plan_pdf

    version = published_version(plan)
    stored = PublishedPlanPdf.objects.filter(plan=plan, version=version).first()
    if stored is not None:
        return stored
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()
        stored = PublishedPlanPdf.objects.filter(plan=plan, version=version).first()
        if stored is not None:
            return stored
        data = public_plan_pdf(plan)
        stored = PublishedPlanPdf(
            plan=plan, version=version, sha256=hashlib.sha256(data).hexdigest()
        )
        stored.file.save(f"plan-{plan.public_slug}.pdf", ContentFile(data), save=False)
        stored.save()
        # An older version's file is not served any more.
        for old in PublishedPlanPdf.objects.filter(plan=plan).exclude(pk=stored.pk):
            old.file.delete(save=False)
            old.delete()
        return stored


# ---------------------------------------------------------------------------
# Follow-up
# ---------------------------------------------------------------------------


@transaction.atomic
def progress_record(
    *,
    plan: Plan,
    user: User,
    fiscal_year: int,
    quarter: int,
    activities: Mapping[int, Mapping[str, Any]],
    kpis: Mapping[int, Decimal | None],
) -> None:
    """One quarter's report: per activity its status and money spent, per KPI its result.

    Saving the same quarter again replaces its figures (so running it twice doubles nothing).
    """
    if not can_follow_up(user, plan):
        raise PermissionDenied(_("Only the plan's group follows up an approved plan."))
    if fiscal_year not in plan.fiscal_years or quarter not in (1, 2, 3, 4):
        raise ValidationError(_("Choose a quarter of one of the plan's fiscal years."))
    own_activities = set(
        Activity.objects.filter(project__plan=plan, pk__in=activities).values_list("pk", flat=True)
    )
    for activity_id, values in activities.items():
        if activity_id not in own_activities:
            raise ValidationError(_("An activity does not belong to this plan."))
        ActivityProgress.objects.update_or_create(
            activity_id=activity_id,
            fiscal_year=fiscal_year,
            quarter=quarter,
            defaults={
                "status": values["status"],
                "spent": values.get("spent") or Decimal("0"),
                "note": values.get("note", ""),
                "updated_by": user,
            },
        )
    own_kpis = set(plan.kpis.values_list("pk", flat=True))
    for kpi_id, value in kpis.items():
        if kpi_id not in own_kpis:
            raise ValidationError(_("An indicator does not belong to this plan."))
        if value is None:
            KPIResult.objects.filter(
                kpi_id=kpi_id, fiscal_year=fiscal_year, quarter=quarter
            ).delete()
            continue
        KPIResult.objects.update_or_create(
            kpi_id=kpi_id,
            fiscal_year=fiscal_year,
            quarter=quarter,
            defaults={"value": value, "updated_by": user},
        )


@transaction.atomic
def year_end_send(*, plan: Plan, user: User, fiscal_year: int) -> int:
    """Tell the director (and whoever acts for them) that the year-end summary is ready."""
    if not can_follow_up(user, plan):
        raise PermissionDenied(_("Only the plan's group follows up an approved plan."))
    url = reverse("workplans:year_end", args=[plan.pk, fiscal_year])
    assert plan.case is not None  # a plan followed up is approved, so it has its case
    recipients = role_holders(role=RoleCode.DIRECTOR, case=plan.case)
    subject = _("Year-end summary of “%(plan)s”, fiscal year %(year)s") % {
        "plan": plan.title,
        "year": fiscal_year,
    }
    notify(
        recipients=recipients,
        case=plan.case,
        kind="plan_year_end",
        subject=subject,
        body=f"{subject}\n{url}",
        dedupe=f"plan-year-end:{plan.pk}:{fiscal_year}",
    )
    Plan.objects.filter(pk=plan.pk).update(year_end_sent_at=timezone.now())
    return len(recipients)


# ---------------------------------------------------------------------------
# Surveys
# ---------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *, plan: Plan, user: User, title: str, intro: str, questions: Sequence[Mapping[str, Any]]
) -> Survey:
    _lock_editable(plan, user)
    if not questions:
        raise ValidationError(_("Add at least one question."))
    survey = Survey.objects.create(plan=plan, title=title.strip(), intro=intro, created_by=user)
    for position, spec in enumerate(questions, start=1):
        choices = [c.strip() for c in spec.get("choices", []) if c.strip()]
        if spec["kind"] == Question.Kind.CHOICE and len(choices) < 2:
            raise ValidationError(
                _("Question %(n)s: give at least two choices, one per line.") % {"n": position}
            )
        Question.objects.create(
            survey=survey,
            position=position,
            kind=spec["kind"],
            text=spec["text"].strip(),
            choices=choices if spec["kind"] == Question.Kind.CHOICE else [],
            required=bool(spec.get("required", True)),
        )
    return survey


@transaction.atomic
def survey_send(*, survey: Survey, user: User) -> int:
    """Open the survey and tell every school user of the office; returns how many were told."""
    survey = Survey.objects.select_for_update().select_related("plan").get(pk=survey.pk)
    if not is_group_member(user, survey.plan.office_id):
        raise PermissionDenied(_("Only the plan's group sends its survey."))
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("This survey was already sent."))
    survey.status = Survey.Status.OPEN
    survey.sent_at = timezone.now()
    survey.save(update_fields=["status", "sent_at"])
    recipients: QuerySet[User] | list[User] = User.objects.filter(
        is_active=True,
        school__office_id=survey.plan.office_id,
        roles__code__in=[RoleCode.SCHOOL_USER, RoleCode.SCHOOL_DIRECTOR],
    ).distinct()
    url = reverse("workplans:survey_answer", args=[survey.pk])
    subject = _("Please answer the survey: %(title)s") % {"title": survey.title}
    recipients = list(recipients)
    # No case link: school people cannot open the plan's case, only the answer page.
    notify(
        recipients=recipients,
        kind="survey_open",
        subject=subject,
        body=f"{subject}\n{url}",
        dedupe=f"survey-open:{survey.pk}",
    )
    return len(recipients)


@transaction.atomic
def survey_close(*, survey: Survey, user: User) -> None:
    if not is_group_member(user, survey.plan.office_id):
        raise PermissionDenied(_("Only the plan's group closes its survey."))
    Survey.objects.filter(pk=survey.pk, status=Survey.Status.OPEN).update(
        status=Survey.Status.CLOSED
    )


def survey_answer(*, survey: Survey, user: User, answers: Mapping[int, Any]) -> SurveyResponse:
    """The school's one answer. A second one (even submitted at the same moment) is refused."""
    survey = Survey.objects.select_related("plan").get(pk=survey.pk)  # its status of now
    if not user.school_id or user.school is None or user.school.office_id != survey.plan.office_id:
        raise PermissionDenied(_("Only schools of the office answer this survey."))
    if survey.status != Survey.Status.OPEN:
        raise ValidationError(_("This survey is not open for answers."))
    questions = {q.pk: q for q in survey.questions.all()}
    rows = []
    errors = {}
    for pk, question in questions.items():
        value = answers.get(pk)
        value = value.strip() if isinstance(value, str) else value
        if value in (None, ""):
            if question.required:
                errors[f"q{pk}"] = _("Please answer this question.")
            continue
        answer = Answer(question=question)
        if question.kind == Question.Kind.RATING:
            if str(value) not in {"1", "2", "3", "4", "5"}:
                errors[f"q{pk}"] = _("Choose a score from 1 to 5.")
                continue
            answer.rating = int(value)
        elif question.kind == Question.Kind.CHOICE:
            if value not in question.choices:
                errors[f"q{pk}"] = _("Choose one of the choices.")
                continue
            answer.choice = value
        else:
            answer.text = str(value)[:5000]
        rows.append(answer)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey, school_id=user.school_id, submitted_by=user
            )
            for answer in rows:
                answer.response = response
            Answer.objects.bulk_create(rows)
    except IntegrityError as error:
        raise ValidationError(_("Your school has already answered this survey.")) from error
    return response


# ---------------------------------------------------------------------------
# Specification library and drafts
# ---------------------------------------------------------------------------


def _require_group(user: User, office_id: int | None) -> None:
    if not is_group_member(user, office_id):
        raise PermissionDenied(_("Only the office's staff and group head maintain specifications."))


@transaction.atomic
def spec_item_save(*, user: User, form) -> SpecItem:
    item = form.instance
    if item.pk is None:
        item.office = user.office
    _require_group(user, item.office_id)
    return form.save()


@transaction.atomic
def spec_draft_create(
    *, user: User, title: str, requested_by_unit: str, purpose: str, fiscal_year: int
) -> SpecDraft:
    _require_group(user, user.office_id)
    definition = ProcessDefinition.objects.filter(code="spec-draft").first()
    if definition is None:
        raise ValidationError(_("The spec-drafting process is not loaded."))
    draft = SpecDraft(
        office=user.office,
        title=title.strip(),
        requested_by_unit=requested_by_unit.strip(),
        purpose=purpose,
        fiscal_year=fiscal_year,
        created_by=user,
    )
    draft.full_clean()
    draft.save()
    draft.case = case_start(
        definition=definition, requester=user, title=draft.title, office=draft.office, subject=draft
    )
    draft.save(update_fields=["case"])
    return draft


def _lock_draft(draft: SpecDraft, user: User) -> SpecDraft:
    draft = (
        SpecDraft.objects.select_for_update(of=("self",)).select_related("case").get(pk=draft.pk)
    )
    if not can_edit_spec_draft(user, draft):
        raise PermissionDenied(_("This draft can only be changed by the group while drafting."))
    return draft


@transaction.atomic
def spec_draft_update(*, draft: SpecDraft, user: User, form) -> SpecDraft:
    _lock_draft(draft, user)
    return form.save()


@transaction.atomic
def spec_draft_save_rows(*, draft: SpecDraft, user: User, formset) -> None:
    _lock_draft(draft, user)
    for form in formset.forms:  # the validated values are on each form's instance
        changed = form.has_changed() and form not in formset.deleted_forms
        if changed and isinstance(form.instance, SpecDraftLine):
            check_line_price(form.instance)
    formset.save()


@transaction.atomic
def spec_line_add(
    *,
    draft: SpecDraft,
    user: User,
    source: SpecItem,
    quantity: int,
    unit_price: Decimal | None = None,
    characteristics: str = "",
) -> SpecDraftLine:
    """Pick a library item into the draft; the price may be lowered, never above the ceiling."""
    draft = _lock_draft(draft, user)
    if source.office_id != draft.office_id or not source.is_active:
        raise ValidationError({"source": _("Choose an item of the office's library.")})
    price = source.price_ceiling if unit_price is None else unit_price
    line = SpecDraftLine(
        draft=draft,
        source=source,
        position=draft.lines.count() + 1,
        item_type=source.item_type,
        name=source.name,
        characteristics=characteristics.strip() or source.characteristics,
        unit=source.unit,
        quantity=quantity,
        unit_price=price,
    )
    check_line_price(line)
    line.full_clean()
    line.save()
    return line


def check_line_price(line: SpecDraftLine) -> None:
    """A line picked from the library may be cheaper than its reference price, never dearer."""
    if line.source_id and line.unit_price is not None:
        assert line.source is not None
        check_price_ceiling(source=line.source, unit_price=line.unit_price)


def check_price_ceiling(*, source: SpecItem, unit_price: Decimal) -> None:
    if unit_price > source.price_ceiling:
        raise ValidationError(
            {
                "unit_price": _("Above the reference price ceiling of %(ceiling)s baht.")
                % {"ceiling": f"{source.price_ceiling:,.2f}"}
            }
        )


def spec_draft_follow_case(
    *, draft: SpecDraft, step_key: str, kind: str, task: Task | None, outcome: str
) -> None:
    """Keep the draft's status and hand-off record in step with its case (called by the hook)."""
    now = timezone.now()
    changed: set[str] = set()
    if kind == "entered":
        status = {
            "draft": SpecDraft.Status.DRAFTING,
            "review": SpecDraft.Status.REVIEW,
            "director": SpecDraft.Status.AWAITING_DIRECTOR,
            "handoff": SpecDraft.Status.APPROVED,
        }.get(step_key)
        if status:
            draft.status = status
            changed.add("status")
    elif kind == "decided" and task is not None:
        if step_key == "director" and outcome == Outcome.APPROVE:
            draft.approved_at = now
            changed.add("approved_at")
        if step_key == "handoff":
            draft.status = SpecDraft.Status.HANDED_OFF
            draft.handed_off_at = now
            draft.handoff_letter_no = str(task.data.get("letter_no", ""))
            changed |= {"status", "handed_off_at", "handoff_letter_no"}
        if step_key == "inspection_advice":
            draft.inspection_advice = str(task.data.get("advice", ""))
            changed.add("inspection_advice")
    elif kind == "closed":
        draft.status = (
            SpecDraft.Status.REJECTED if outcome == Outcome.REJECT else SpecDraft.Status.COMPLETED
        )
        changed.add("status")
    if changed:
        draft.save(update_fields=sorted(changed))
