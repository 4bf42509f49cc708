"""The rules of trainings: registration once, attendance only for participants, evaluation once,
certificates only when earned and numbered without gaps from the register."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from trainings.models import Attendance, Certificate, Participant, Question, Session
from trainings.resources import ListFileError, read_participant_rows, template_dataset
from trainings.selectors import eligibility, evaluation_results, lookup_certificate
from trainings.services import (
    attendance_set,
    certificate_cancel,
    certificate_issue,
    certificate_pdf,
    certificates_issue_all,
    evaluation_submit,
    participant_remove,
    participants_import,
    register_self,
    session_save,
    training_create,
)


def answers_for(training, rating=5, text="ดีมาก"):
    return {
        q.pk: (rating if q.kind == Question.Kind.RATING else text) for q in training.questions.all()
    }


def attend_all(training, staff, *participants):
    for session in training.sessions.all():
        attendance_set(user=staff, session=session, present=[p.pk for p in participants])


# --- creating ------------------------------------------------------------------------------


def test_training_belongs_to_a_case_and_starts_with_the_standard_evaluation(training, dltv_case):
    assert training.case == dltv_case
    assert training.office_id == dltv_case.office_id
    kinds = list(training.questions.values_list("kind", flat=True))
    assert kinds.count("rating") == 6 and kinds.count("text") == 2
    assert training.total_hours == Decimal("6")


@pytest.mark.parametrize("role", ["school_user", "school_director", "director", "deputy_director"])
def test_only_staff_and_group_head_create_trainings(people, dltv_case, role):
    with pytest.raises(PermissionDenied):
        training_create(user=people[role], case=dltv_case, title="x")


def test_group_head_creates_a_training(people, dltv_case):
    assert training_create(user=people["group_head"], case=dltv_case, title="อบรม").pk


def test_staff_of_another_office_cannot_put_a_training_on_this_case(outsiders, dltv_case):
    with pytest.raises(PermissionDenied):
        training_create(user=outsiders["staff"], case=dltv_case, title="x")


def test_session_needs_a_place_or_an_online_link(training, people):
    with pytest.raises(ValidationError) as error:
        session_save(
            user=people["staff"], training=training, date=datetime.date(2026, 12, 12), hours=2
        )
    assert "place" in error.value.message_dict
    online = session_save(
        user=people["staff"],
        training=training,
        date=datetime.date(2026, 12, 12),
        hours=Decimal("1.5"),
        online_link="https://meet.example.org/dltv",
    )
    assert online.place == "" and training.total_hours == Decimal("7.5")


def test_the_database_refuses_a_session_without_venue(training):
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(training=training, date=datetime.date(2026, 12, 1), hours=1)


# --- registration --------------------------------------------------------------------------


def test_school_user_registers_once(training, people, teacher_participant):
    assert teacher_participant.school == people["school_user"].school
    assert teacher_participant.source == Participant.Source.SELF
    with pytest.raises(ValidationError):
        register_self(user=people["school_user"], training=training)
    assert training.participants.count() == 1


def test_the_database_refuses_a_second_registration_of_one_account(training, teacher_participant):
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(
            training=training,
            user=teacher_participant.user,
            full_name="ชื่ออื่น",
            source="self",
            registered_by=teacher_participant.user,
        )


def test_registration_closed_or_full_is_refused(training, people):
    training.registration_open = False
    training.save()
    with pytest.raises(ValidationError):
        register_self(user=people["school_user"], training=training)
    training.registration_open = True
    training.capacity = 1
    training.save()
    register_self(user=people["school_user"], training=training)
    with pytest.raises(ValidationError, match="1"):
        register_self(user=people["staff2"], training=training)


def test_people_of_another_office_cannot_register(training, outsiders):
    with pytest.raises(PermissionDenied):
        register_self(user=outsiders["school_user"], training=training)


def test_withdrawing_is_refused_once_attendance_is_recorded(training, people, teacher_participant):
    attendance_set(
        user=people["staff"], session=training.sessions.first(), present=[teacher_participant.pk]
    )
    with pytest.raises(ValidationError):
        participant_remove(user=people["school_user"], participant=teacher_participant)


def xlsx(rows):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_staff_add_a_list_and_duplicates_are_skipped(training, people, school, teacher_participant):
    rows = read_participant_rows(
        xlsx(
            [
                ["ชื่อ-สกุล", "ตำแหน่ง", "รหัสโรงเรียน", "อีเมล"],
                ["นางสาวสมใจ ตั้งใจ", "ครู", school.obec_code, ""],
                ["นาย  ศึกษา   ดี", "ครูผู้ช่วย", "", ""],
                [teacher_participant.full_name, "ครู", school.obec_code, ""],
                ["นาย ศึกษา ดี", "ซ้ำในไฟล์", "", ""],
                [None, None, None, None],
            ]
        )
    )
    result = participants_import(user=people["staff"], training=training, rows=rows)
    assert result.added == ["นางสาวสมใจ ตั้งใจ", "นาย ศึกษา ดี"]
    assert result.already == [teacher_participant.full_name, "นาย ศึกษา ดี"]
    added = training.participants.get(full_name="นางสาวสมใจ ตั้งใจ")
    assert added.school == school and added.source == Participant.Source.LIST


def test_a_bad_row_stores_nothing_and_names_every_bad_row(training, people):
    rows = read_participant_rows(
        xlsx(
            [
                ["ชื่อ-สกุล", "รหัสโรงเรียน"],
                ["คนที่หนึ่ง", ""],
                ["", "1090010001"],
                ["คนที่สาม", "1234567890"],
            ]
        )
    )
    with pytest.raises(ValidationError) as error:
        participants_import(user=people["staff"], training=training, rows=rows)
    assert any("3" in m for m in error.value.messages)
    assert any("4" in m and "1234567890" in m for m in error.value.messages)
    assert not training.participants.exists()


def test_list_without_a_name_column_or_not_xlsx_is_refused():
    with pytest.raises(ListFileError):
        read_participant_rows(xlsx([["ตำแหน่ง"], ["ครู"]]))
    with pytest.raises(ListFileError):
        read_participant_rows(b"not a workbook")
    assert template_dataset().headers[0] == "ชื่อ-สกุล"


def test_a_school_user_cannot_import_a_list(training, people):
    with pytest.raises(PermissionDenied):
        participants_import(user=people["school_user"], training=training, rows=[])


def test_list_row_with_a_known_email_is_linked_to_that_account(training, people):
    people["staff2"].email = "staff2@example.org"
    people["staff2"].save()
    participants_import(
        user=people["staff"],
        training=training,
        rows=[{"full_name": "เจ้าหน้าที่สอง", "email": "STAFF2@example.org"}],
    )
    assert training.participants.get().user == people["staff2"]
    with pytest.raises(ValidationError):
        register_self(user=people["staff2"], training=training)


# --- attendance ----------------------------------------------------------------------------


def test_attendance_only_for_registered_participants(
    training, people, teacher_participant, dltv_case
):
    other = training_create(user=people["staff"], case=dltv_case, title="อีกการอบรม")
    stranger = register_self(user=people["staff2"], training=other)
    session = training.sessions.first()
    with pytest.raises(ValidationError):
        attendance_set(user=people["staff"], session=session, present=[stranger.pk])
    assert not session.attendance.exists()
    with pytest.raises(ValidationError):
        Attendance(session=session, participant=stranger, marked_by=people["staff"]).full_clean()


def test_attendance_is_set_exactly_and_only_by_staff(training, people, teacher_participant):
    session = training.sessions.first()
    second = register_self(user=people["staff2"], training=training)
    assert attendance_set(
        user=people["staff"], session=session, present=[teacher_participant.pk, second.pk]
    ) == (2, 0)
    assert attendance_set(user=people["staff"], session=session, present=[second.pk]) == (0, 1)
    assert list(session.attendance.values_list("participant", flat=True)) == [second.pk]
    with pytest.raises(PermissionDenied):
        attendance_set(user=people["school_user"], session=session, present=[])
    with pytest.raises(PermissionDenied):
        attendance_set(user=people["director"], session=session, present=[])


# --- evaluation ----------------------------------------------------------------------------


def test_evaluation_needs_attendance_and_is_answered_once(training, people, teacher_participant):
    with pytest.raises(ValidationError):
        evaluation_submit(
            user=people["school_user"], training=training, answers=answers_for(training)
        )
    attend_all(training, people["staff"], teacher_participant)
    evaluation_submit(user=people["school_user"], training=training, answers=answers_for(training))
    with pytest.raises(ValidationError):
        evaluation_submit(
            user=people["school_user"], training=training, answers=answers_for(training, 1)
        )
    assert teacher_participant.__class__.objects.get(pk=teacher_participant.pk).evaluation


def test_evaluation_refuses_a_missing_or_out_of_scale_rating(training, people, teacher_participant):
    attend_all(training, people["staff"], teacher_participant)
    answers = answers_for(training)
    first = training.questions.filter(kind="rating").first()
    answers[first.pk] = 6
    with pytest.raises(ValidationError) as error:
        evaluation_submit(user=people["school_user"], training=training, answers=answers)
    assert f"q{first.pk}" in error.value.message_dict
    answers.pop(first.pk)
    with pytest.raises(ValidationError):
        evaluation_submit(user=people["school_user"], training=training, answers=answers)


def test_non_participants_cannot_evaluate(training, people):
    with pytest.raises(PermissionDenied):
        evaluation_submit(user=people["staff2"], training=training, answers={})


def test_results_count_levels_mean_and_sd(training, people, teacher_participant):
    second = register_self(user=people["staff2"], training=training)
    attend_all(training, people["staff"], teacher_participant, second)
    evaluation_submit(
        user=people["school_user"], training=training, answers=answers_for(training, 5)
    )
    evaluation_submit(
        user=people["staff2"], training=training, answers=answers_for(training, 4, "ควรเพิ่มเวลา")
    )
    summary = evaluation_results(training)
    first = summary.ratings[0]
    assert first.counts == [(5, 1), (4, 1), (3, 0), (2, 0), (1, 0)]
    assert first.mean == pytest.approx(4.5)
    assert first.sd == pytest.approx(0.7071, abs=1e-4)
    assert first.reading == "มาก"  # 4.50 reads "high", 4.51 would be "very high"
    assert summary.responses == 2 and summary.overall_mean == pytest.approx(4.5)
    assert "ควรเพิ่มเวลา" in summary.open_answers[0].texts


# --- certificates --------------------------------------------------------------------------


def test_certificate_needs_enough_attendance_and_the_evaluation(
    training, people, teacher_participant
):
    attendance_set(
        user=people["staff"], session=training.sessions.first(), present=[teacher_participant.pk]
    )
    status = eligibility(teacher_participant)
    assert (status.attended, status.total, status.needed) == (3, 6, Decimal("4.8"))
    with pytest.raises(ValidationError, match=r"4\.8"):
        certificate_issue(user=people["school_user"], participant=teacher_participant)
    attendance_set(
        user=people["staff"], session=training.sessions.last(), present=[teacher_participant.pk]
    )
    with pytest.raises(ValidationError):
        certificate_issue(user=people["school_user"], participant=teacher_participant)
    evaluation_submit(user=people["school_user"], training=training, answers=answers_for(training))
    certificate = certificate_issue(user=people["school_user"], participant=teacher_participant)
    assert certificate.recipient_name == teacher_participant.full_name
    assert certificate.hours == Decimal("6")
    assert certificate.training_date_text == "10 - 11 ธันวาคม 2569"
    assert certificate.signer_name == people["director"].display_name
    # Asking again gives the same certificate, not a new number.
    assert (
        certificate_issue(user=people["school_user"], participant=teacher_participant)
        == certificate
    )


def test_numbers_run_without_gaps_and_lookup_finds_thai_digits(
    training, people, teacher_participant
):
    training.evaluation_required = False
    training.save()
    second = register_self(user=people["staff2"], training=training)
    late = register_self(user=people["group_head"], training=training)
    attend_all(training, people["staff"], teacher_participant, second)
    issued, skipped = certificates_issue_all(user=people["staff"], training=training)
    assert (issued, skipped) == (2, 1)
    numbers = sorted(Certificate.objects.values_list("sequence", flat=True))
    assert numbers == [1, 2]
    year = Certificate.objects.first().year
    found = lookup_certificate(
        training.office_id, f"๒/{str(year).translate(str.maketrans('0123456789', '๐๑๒๓๔๕๖๗๘๙'))}"
    )
    assert found is not None and found.sequence == 2
    assert lookup_certificate(training.office_id, "99/2500") is None
    assert not Certificate.objects.filter(participant=late).exists()


def test_someone_else_cannot_take_a_participants_certificate(training, people, teacher_participant):
    with pytest.raises(PermissionDenied):
        certificate_issue(user=people["school_director"], participant=teacher_participant)


def test_certificate_pdf_is_rendered_once_and_kept(training, people, teacher_participant):
    training.evaluation_required = False
    training.save()
    attend_all(training, people["staff"], teacher_participant)
    certificate = certificate_issue(user=people["school_user"], participant=teacher_participant)
    data = certificate_pdf(certificate)
    assert data.startswith(b"%PDF")
    certificate.refresh_from_db()
    import hashlib

    assert certificate.sha256 == hashlib.sha256(data).hexdigest()
    # The stored file is served again, even if the training's title changes afterwards.
    training.title = "ชื่อใหม่"
    training.save()
    assert certificate_pdf(Certificate.objects.get(pk=certificate.pk)) == data


def test_cancelled_number_stays_in_the_register(training, people, teacher_participant):
    training.evaluation_required = False
    training.save()
    attend_all(training, people["staff"], teacher_participant)
    certificate = certificate_issue(user=people["staff"], participant=teacher_participant)
    with pytest.raises(ValidationError):
        certificate_cancel(user=people["staff"], certificate=certificate, reason=" ")
    with pytest.raises(PermissionDenied):
        certificate_cancel(user=people["school_user"], certificate=certificate, reason="ผิด")
    certificate_cancel(user=people["staff"], certificate=certificate, reason="พิมพ์ชื่อผิด")
    found = lookup_certificate(training.office_id, certificate.number)
    assert found == certificate and not found.is_valid


def test_certificate_register_numbers_are_per_office(training, people, outsiders):
    training.evaluation_required = False
    training.save()
    p = register_self(user=people["school_user"], training=training)
    attend_all(training, people["staff"], p)
    certificate = certificate_issue(user=people["staff"], participant=p)
    assert lookup_certificate(outsiders["staff"].office_id, certificate.number) is None


def test_open_questions_may_be_left_empty(training, people, teacher_participant):
    attend_all(training, people["staff"], teacher_participant)
    ratings_only = {q.pk: 3 for q in training.questions.filter(kind=Question.Kind.RATING)}
    response = evaluation_submit(
        user=people["school_user"], training=training, answers=ratings_only
    )
    assert response.answers.count() == len(ratings_only)
