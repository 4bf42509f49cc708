"""Training pages by role: who may read, who may change what (every changing view, every role),
and the pages themselves (Thai, nothing lost on a bad form, the lookup)."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse

from core.models import RenderJob
from core.render_jobs import render_job_run
from tests.render_jobs import fetch_pdf
from trainings.models import Certificate, EvaluationResponse, Participant, Question, Session
from trainings.services import (
    attendance_set,
    certificate_is_stored,
    certificate_issue,
    certificate_pdf,
    evaluation_submit,
)

ROLES = [
    "anonymous",
    "school_user",
    "other_school",
    "school_director",
    "staff",
    "group_head",
    "deputy",
    "director",
    "admin",
    "outsider",
]


def client_for(users, role):
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def status_row(users, method, url, data=None):
    codes = ""
    for role in ROLES:
        response = getattr(client_for(users, role), method)(url, data or {})
        codes += {200: "2", 302: "3", 403: "4", 404: "N", 400: "B"}.get(response.status_code, "?")
    return codes


# Roles, in ROLES order: anonymous, school A, school B, school director, staff, group head,
# deputy, director, admin, outsider. 3 = redirect (login for anonymous; done for the others).
def test_who_may_create_a_training(users, dltv_case):
    url = reverse("trainings:new")
    # The outsider runs their own office's trainings, but cannot pick this office's case.
    assert status_row(users, "get", url) == "3444224442"
    assert status_row(users, "post", url, {"case": dltv_case.pk, "title": ""}) == "3444BB444B"
    assert not dltv_case.trainings.exists()


def test_who_may_change_a_training(users, training, teacher_participant):
    session = training.sessions.first()
    attendance_set(user=users["staff"], session=session, present=[teacher_participant.pk])
    urls = {
        "edit": reverse("trainings:edit", args=[training.pk]),
        "session_new": reverse("trainings:session_new", args=[training.pk]),
        "session": reverse("trainings:session", args=[training.pk, session.pk]),
        "attendance": reverse("trainings:attendance", args=[training.pk, session.pk]),
        "import": reverse("trainings:import", args=[training.pk]),
        "template": reverse("trainings:template", args=[training.pk]),
    }
    for name, url in urls.items():
        # Schools see an open training (403 to change it); another office sees nothing (404).
        assert status_row(users, "get", url) == "344422444N", name
    for name in ("session_delete", "issue"):
        args = [training.pk, session.pk] if name == "session_delete" else [training.pk]
        url = reverse(f"trainings:{name}", args=args)
        assert status_row(users, "post", url) == "344433444N", name
    assert Session.objects.filter(pk=session.pk).exists()  # it has attendance: kept by rule


def test_who_may_register_and_see_the_training(users, training):
    url = reverse("trainings:training", args=[training.pk])
    assert status_row(users, "get", url) == "322222222N"
    register = reverse("trainings:register_self", args=[training.pk])
    assert status_row(users, "post", register) == "333333333N"
    # Everyone of the office registered themselves once; the outsider could not.
    assert training.participants.count() == 8
    assert not training.participants.filter(user=users["outsider"]).exists()


def test_a_closed_training_is_hidden_from_schools_not_registered(
    users, training, teacher_participant
):
    training.registration_open = False
    training.save()
    url = reverse("trainings:training", args=[training.pk])
    assert status_row(users, "get", url) == "32NN22222N"


def test_who_sees_results_and_exports(users, training):
    for name in ("results", "export"):
        url = reverse(f"trainings:{name}", args=[training.pk])
        assert status_row(users, "get", url) == "344422222N", name
    # The register: each office's own (the outsider sees their office's, empty here).
    assert status_row(users, "get", reverse("trainings:register")) == "3444222222"


def test_only_the_participant_evaluates_and_claims(users, training, teacher_participant):
    attendance_set(
        user=users["staff"],
        session=training.sessions.first(),
        present=[teacher_participant.pk],
    )
    url = reverse("trainings:evaluation", args=[training.pk])
    assert status_row(users, "get", url) == "324444444N"
    claim = reverse("trainings:claim", args=[training.pk])
    assert status_row(users, "post", claim) == "334444444N"
    assert not Certificate.objects.exists()  # 3 of 6 hours: not earned, refused with a message


def test_who_may_download_a_certificate(users, training, teacher_participant):
    training.evaluation_required = False
    training.save()
    for session in training.sessions.all():
        attendance_set(user=users["staff"], session=session, present=[teacher_participant.pk])
    certificate = certificate_issue(user=users["school_user"], participant=teacher_participant)
    url = reverse("trainings:certificate", args=[certificate.pk])
    # Not rendered yet: those who may have it are sent to its progress page (3).
    assert status_row(users, "get", url) == "33NN33333N"
    holder = RenderJob.objects.get(requested_by=users["school_user"])
    assert render_job_run(job_id=holder.pk) == "done"  # as the worker does
    download = client_for(users, "school_user").get(reverse("files:download", args=[holder.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # The worker kept it: from now on the address serves the kept file at once.
    certificate.refresh_from_db()
    assert certificate_is_stored(certificate)
    assert status_row(users, "get", url) == "32NN22222N"
    staff = client_for(users, "staff").get(url)
    assert (
        staff.content == certificate_pdf(certificate) and staff["Content-Type"] == "application/pdf"
    )
    # Another person's job is not theirs to download, whatever they may read.
    assert (
        client_for(users, "staff").get(reverse("files:download", args=[holder.pk])).status_code
        == 404
    )


def test_staff_remove_a_participant_only_while_nothing_is_recorded(
    users, training, teacher_participant
):
    url = reverse("trainings:participant_delete", args=[training.pk, teacher_participant.pk])
    response = client_for(users, "school_director").post(url)
    assert response.status_code == 403
    attendance_set(
        user=users["staff"], session=training.sessions.first(), present=[teacher_participant.pk]
    )
    client_for(users, "staff").post(url)
    assert Participant.objects.filter(pk=teacher_participant.pk).exists()
    attendance_set(user=users["staff"], session=training.sessions.first(), present=[])
    client_for(users, "group_head").post(url)
    assert not Participant.objects.filter(pk=teacher_participant.pk).exists()


def test_withdraw_own_registration(users, training, teacher_participant):
    client = client_for(users, "school_user")
    assert client.post(reverse("trainings:withdraw", args=[training.pk])).status_code == 302
    assert not training.participants.exists()
    assert client.post(reverse("trainings:withdraw", args=[training.pk])).status_code == 403


# --- pages ---------------------------------------------------------------------------------


def test_new_training_from_the_case_page_link(users, dltv_case):
    client = client_for(users, "staff")
    case_page = client.get(dltv_case.get_absolute_url()).content.decode()
    link = f"{reverse('trainings:new')}?case={dltv_case.reference}"
    assert link in case_page and "สร้างการอบรมในเรื่องนี้" in case_page
    form = client.get(link)
    assert form.status_code == 200 and dltv_case.title in form.content.decode()
    response = client.post(
        link,
        {
            "case": dltv_case.pk,
            "title": "อบรม DLTV รุ่น 1",
            "min_attendance_percent": 80,
            "registration_open": "on",
            "evaluation_required": "on",
        },
    )
    training = dltv_case.trainings.get()
    assert response.url == reverse("trainings:session_new", args=[training.pk])
    assert f"การอบรม: {training.title}" in client.get(dltv_case.get_absolute_url()).content.decode()
    # A school user sees the case page of their school's cases only; the link to create is
    # never offered to a non-manager (they would get 403 anyway).
    assert (
        "สร้างการอบรม"
        not in client_for(users, "director").get(dltv_case.get_absolute_url()).content.decode()
    )


def test_session_form_keeps_what_was_typed_and_speaks_thai(users, training):
    client = client_for(users, "staff")
    url = reverse("trainings:session_new", args=[training.pk])
    response = client.post(url, {"date": "31/02/2569", "hours": "3", "topic": "หัวข้อที่พิมพ์"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "หัวข้อที่พิมพ์" in text and "กรุณาระบุสถานที่หรือลิงก์ออนไลน์" in text
    response = client.post(
        url, {"date": "12/12/2569", "hours": "2", "online_link": "meet.example.org/x"}
    )
    assert response.status_code == 302
    session = training.sessions.get(date=datetime.date(2026, 12, 12))
    assert session.online_link == "https://meet.example.org/x"


def test_attendance_page_marks_only_registered_people(users, training, teacher_participant):
    session = training.sessions.first()
    client = client_for(users, "staff")
    url = reverse("trainings:attendance", args=[training.pk, session.pk])
    assert teacher_participant.full_name in client.get(url).content.decode()
    client.post(url, {"present": [teacher_participant.pk, 999999]})
    assert not session.attendance.exists()  # refused as a whole
    client.post(url, {"present": [teacher_participant.pk]})
    assert list(session.attendance.values_list("participant", flat=True)) == [
        teacher_participant.pk
    ]


def test_evaluation_page_once_then_results_show_charts(users, training, teacher_participant):
    attendance_set(
        user=users["staff"], session=training.sessions.first(), present=[teacher_participant.pk]
    )
    client = client_for(users, "school_user")
    url = reverse("trainings:evaluation", args=[training.pk])
    page = client.get(url).content.decode()
    assert "มากที่สุด" in page and "น้อยที่สุด" in page
    data = {
        f"q{q.pk}": ("4" if q.kind == Question.Kind.RATING else "ดี")
        for q in training.questions.all()
    }
    data.pop(f"q{training.questions.first().pk}")
    response = client.post(url, data)
    assert response.status_code == 400
    assert "ดี</textarea>" in response.content.decode()
    data[f"q{training.questions.first().pk}"] = "5"
    assert client.post(url, data).status_code == 302
    assert client.get(url).status_code == 302  # answered: back to the training
    assert EvaluationResponse.objects.count() == 1
    results = client_for(users, "director").get(reverse("trainings:results", args=[training.pk]))
    body = results.content.decode()
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg" viewBox') == 2
    assert "ค่าเฉลี่ย" in body


def test_lookup_on_the_training_page(users, training, teacher_participant):
    training.evaluation_required = False
    training.save()
    for session in training.sessions.all():
        attendance_set(user=users["staff"], session=session, present=[teacher_participant.pk])
    certificate = certificate_issue(user=users["staff"], participant=teacher_participant)
    url = reverse("trainings:training", args=[training.pk])
    thai = certificate.number.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    page = client_for(users, "other_school").get(url, {"number": thai}).content.decode()
    assert "เกียรติบัตรถูกต้อง" in page and certificate.recipient_name in page
    page = client_for(users, "other_school").get(url, {"number": "77/2500"}).content.decode()
    assert "ไม่พบเกียรติบัตรเลขที่นี้" in page


def test_school_page_hides_other_schools_participants(users, training, teacher_participant):
    Participant.objects.filter(pk=teacher_participant.pk).update(full_name="นางสมศรี ทดสอบ")
    teacher_participant.refresh_from_db()
    page = (
        client_for(users, "other_school")
        .get(reverse("trainings:training", args=[training.pk]))
        .content.decode()
    )
    assert teacher_participant.full_name not in page
    staff_page = (
        client_for(users, "staff")
        .get(reverse("trainings:training", args=[training.pk]))
        .content.decode()
    )
    assert teacher_participant.full_name in staff_page


def test_my_trainings_list_shows_my_certificate(users, training, teacher_participant):
    training.evaluation_required = False
    training.save()
    for session in training.sessions.all():
        attendance_set(user=users["staff"], session=session, present=[teacher_participant.pk])
    certificate = certificate_issue(user=users["school_user"], participant=teacher_participant)
    page = client_for(users, "school_user").get(reverse("trainings:index")).content.decode()
    assert reverse("trainings:certificate", args=[certificate.pk]) in page
    assert "การอบรม" in client_for(users, "school_user").get("/").content.decode()


def test_dossier_of_the_case_carries_the_trainings_results(users, training, teacher_participant):
    from reports.selectors import build_dossier

    attendance_set(
        user=users["staff"], session=training.sessions.first(), present=[teacher_participant.pk]
    )
    evaluation_submit(
        user=users["school_user"],
        training=training,
        answers={q.pk: 5 if q.kind == "rating" else "ดีมาก" for q in training.questions.all()},
    )
    dossier = build_dossier(training.case)
    section = next(s for s in dossier.sections if s.key == "trainings")
    assert any("ความพึงพอใจ" in table.title for table in section.tables)
    assert len(section.charts) == 2
    response = fetch_pdf(
        client_for(users, "staff"), reverse("reports:dossier", args=[training.case.reference])
    )
    assert response.content.startswith(b"%PDF")
