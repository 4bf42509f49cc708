"""Reads about trainings: who sees and runs which, eligibility, the evaluation's results."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import RoleCode, User
from accounts.selectors import authority_for
from core import thaitime
from trainings.models import (
    SCALE,
    Answer,
    Certificate,
    Participant,
    Question,
    Session,
    Training,
)

MANAGER_ROLES = (RoleCode.STAFF, RoleCode.GROUP_HEAD)


def can_manage(user: User, office_id: int | None) -> bool:
    """Staff or the group head of the office (own role or by delegation) run its trainings."""
    if not user.is_active or user.is_school_side or user.office_id != office_id:
        return False
    return any(authority_for(user, role) is not None for role in MANAGER_ROLES)


def trainings_visible_to(user: User) -> QuerySet[Training]:
    """Office people see their office's trainings; school people those of their office that are
    open for registration and those they are registered for; nobody else any."""
    trainings = Training.objects.select_related("case__version__definition", "office")
    if user.is_superuser:
        return trainings
    if not user.office_id:
        return trainings.none()
    trainings = trainings.filter(office_id=user.office_id)
    if user.is_school_side:
        return trainings.filter(Q(registration_open=True) | Q(participants__user=user)).distinct()
    return trainings


def get_training_for_user(user: User, pk: int) -> Training:
    return get_object_or_404(trainings_visible_to(user), pk=pk)


def get_training_to_manage(user: User, pk: int) -> Training:
    """404 for a training the user cannot see, 403 for one they see but may not run."""
    training = get_training_for_user(user, pk)
    if not can_manage(user, training.office_id):
        raise PermissionDenied
    return training


def participant_of(training: Training, user: User) -> Participant | None:
    return training.participants.filter(user=user).first()


def attended_hours(participant: Participant) -> Decimal:
    total = Session.objects.filter(attendance__participant=participant).aggregate(h=Sum("hours"))
    return total["h"] or Decimal("0")


@dataclass
class Eligibility:
    attended: Decimal
    total: Decimal
    needed: Decimal
    evaluated: bool
    evaluation_required: bool

    @property
    def attendance_ok(self) -> bool:
        return self.total > 0 and self.attended >= self.needed

    @property
    def ok(self) -> bool:
        return self.attendance_ok and (self.evaluated or not self.evaluation_required)


def eligibility(participant: Participant) -> Eligibility:
    training = participant.training
    total = training.total_hours
    needed = (total * training.min_attendance_percent / 100).quantize(Decimal("0.1"))
    return Eligibility(
        attended=attended_hours(participant),
        total=total,
        needed=needed,
        evaluated=hasattr(participant, "evaluation") and participant.evaluation is not None,
        evaluation_required=training.evaluation_required,
    )


def participant_rows(training: Training) -> list[Participant]:
    """Participants with their attended hours, evaluation and certificate, for the staff list."""
    rows: list[Participant] = list(
        training.participants.select_related("school", "user", "evaluation", "certificate")
        .annotate(hours_attended=Sum("attendance__session__hours"))
        .order_by("school__name_th", "full_name")
    )
    return rows


def my_trainings(user: User) -> QuerySet[Participant]:
    """The trainings a person is registered for, newest first, with any certificate."""
    return (
        Participant.objects.filter(user=user)
        .select_related("training", "certificate", "evaluation")
        .order_by("-training__created_at")
    )


def lookup_certificate(office_id: int, number: str) -> Certificate | None:
    """A certificate of the office by its number as printed (Thai or Arabic digits, spaces)."""
    text = thaitime.to_arabic_digits(number or "").replace(" ", "").strip()
    if not text:
        return None
    return (
        Certificate.objects.filter(office_id=office_id, number=text)
        .select_related("training")
        .first()
    )


# ---------------------------------------------------------------------------------------------
# Evaluation results
# ---------------------------------------------------------------------------------------------

# The usual reading of a mean on the 5-level scale (เกณฑ์การแปลผล).
BANDS = [(Decimal("4.51"), 5), (Decimal("3.51"), 4), (Decimal("2.51"), 3), (Decimal("1.51"), 2)]


def band_label(mean: float | None) -> str:
    if mean is None:
        return ""
    level = next((lvl for low, lvl in BANDS if Decimal(str(round(mean, 2))) >= low), 1)
    return str(dict(SCALE)[level])


@dataclass
class QuestionResult:
    question: Question
    counts: list[tuple[int, int]] = field(default_factory=list)  # (level, count) 5..1
    n: int = 0
    mean: float | None = None
    sd: float | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def reading(self) -> str:
        return band_label(self.mean)


@dataclass
class EvaluationResults:
    training: Training
    responses: int
    participants: int
    questions: list[QuestionResult]
    overall_mean: float | None

    @property
    def ratings(self) -> list[QuestionResult]:
        return [q for q in self.questions if q.question.kind == Question.Kind.RATING]

    @property
    def open_answers(self) -> list[QuestionResult]:
        return [q for q in self.questions if q.question.kind == Question.Kind.TEXT]

    @property
    def overall_reading(self) -> str:
        return band_label(self.overall_mean)


def evaluation_results(training: Training) -> EvaluationResults:
    """Counts per level, mean and (sample) standard deviation per rating question, and the
    open answers; two queries whatever the number of answers."""
    questions = list(training.questions.all())
    counts = {
        (row["question_id"], row["rating"]): row["n"]
        for row in Answer.objects.filter(question__training=training, rating__isnull=False)
        .values("question_id", "rating")
        .annotate(n=Count("pk"))
    }
    texts: dict[int, list[str]] = {}
    for question_id, text in (
        Answer.objects.filter(question__training=training, question__kind=Question.Kind.TEXT)
        .exclude(text="")
        .order_by("pk")
        .values_list("question_id", "text")
    ):
        texts.setdefault(question_id, []).append(text)
    results = []
    all_sum = 0
    all_n = 0
    for question in questions:
        result = QuestionResult(question=question, texts=texts.get(question.pk, []))
        if question.kind == Question.Kind.RATING:
            result.counts = [(level, counts.get((question.pk, level), 0)) for level, _l in SCALE]
            result.n = sum(c for _lvl, c in result.counts)
            if result.n:
                total = sum(level * c for level, c in result.counts)
                result.mean = total / result.n
                all_sum += total
                all_n += result.n
                if result.n > 1:
                    var = sum(c * (level - result.mean) ** 2 for level, c in result.counts)
                    result.sd = math.sqrt(var / (result.n - 1))
        results.append(result)
    return EvaluationResults(
        training=training,
        responses=training.participants.filter(evaluation__isnull=False).count(),
        participants=training.participants.count(),
        questions=results,
        overall_mean=all_sum / all_n if all_n else None,
    )


def get_certificate_for_user(user: User, pk: int) -> Certificate:
    """The holder sees their own; the office's people see their office's (404 otherwise)."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("training", "participant", "office", "document"),
        pk=pk,
    )
    mine = certificate.participant.user_id == user.pk
    office = user.is_superuser or (
        not user.is_school_side and user.office_id == certificate.office_id
    )
    if not (mine or office):
        raise Http404
    return certificate
