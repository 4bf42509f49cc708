"""Stakeholder surveys: staff build and send, each school answers once, results summarised."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Role, RoleCode
from accounts.services import user_create
from processes.models import Notification
from tests.workplans.factories import make_plan
from workplans.models import Question, Survey, SurveyResponse
from workplans.selectors import survey_results
from workplans.services import survey_answer, survey_create, survey_send

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"kind": "rating", "text": "ความพร้อมของอินเทอร์เน็ต", "required": True},
    {"kind": "choice", "text": "สิ่งที่ต้องการที่สุด", "choices": ["อุปกรณ์", "อบรม"]},
    {"kind": "text", "text": "ข้อเสนอแนะ", "required": False},
]


@pytest.fixture
def survey(definitions, people):
    plan = make_plan(people["staff"])
    return survey_create(
        plan=plan, user=people["staff"], title="ความต้องการด้านดิจิทัล", intro="", questions=QUESTIONS
    )


def answers_for(survey, rating, choice, text=""):
    q = {question.kind: question.pk for question in survey.questions.all()}
    return {q["rating"]: str(rating), q["choice"]: choice, q["text"]: text}


def test_a_choice_question_needs_two_choices(definitions, people):
    plan = make_plan(people["staff"])
    with pytest.raises(ValidationError):
        survey_create(
            plan=plan,
            user=people["staff"],
            title="x",
            intro="",
            questions=[{"kind": "choice", "text": "เลือก", "choices": ["เดียว"]}],
        )


def test_sending_tells_the_office_schools_only(survey, people, outsiders):
    count = survey_send(survey=survey, user=people["staff"])
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    told = set(Notification.objects.filter(kind="survey_open").values_list("recipient", flat=True))
    assert told == {people["school_user"].pk, people["school_director"].pk}
    assert count == 2
    with pytest.raises(ValidationError):
        survey_send(survey=survey, user=people["staff"])  # once only
    assert Notification.objects.filter(kind="survey_open").count() == 2


def test_one_answer_per_school(survey, people, other_school):
    survey_send(survey=survey, user=people["staff"])
    survey_answer(survey=survey, user=people["school_user"], answers=answers_for(survey, 4, "อบรม"))
    # The school's director is the same school: refused.
    with pytest.raises(ValidationError):
        survey_answer(
            survey=survey, user=people["school_director"], answers=answers_for(survey, 1, "อุปกรณ์")
        )
    assert SurveyResponse.objects.count() == 1


def test_the_database_refuses_a_second_answer_of_the_same_school(survey, people, school):
    SurveyResponse.objects.create(survey=survey, school=school, submitted_by=people["school_user"])
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(
            survey=survey, school=school, submitted_by=people["school_director"]
        )


def test_answers_are_validated_and_a_closed_survey_takes_none(survey, people):
    with pytest.raises(ValidationError):  # still a draft
        survey_answer(
            survey=survey, user=people["school_user"], answers=answers_for(survey, 3, "อบรม")
        )
    survey_send(survey=survey, user=people["staff"])
    with pytest.raises(ValidationError) as error:
        survey_answer(
            survey=survey, user=people["school_user"], answers=answers_for(survey, 9, "x")
        )
    assert len(error.value.message_dict) == 2
    assert not SurveyResponse.objects.exists()


def test_results_summarise_ratings_choices_and_texts(survey, people, other_school):
    survey_send(survey=survey, user=people["staff"])
    teacher2 = user_create(
        username="t2",
        password="x",
        office=other_school.office,
        school=other_school,
        roles=[Role.objects.get(code=RoleCode.SCHOOL_USER)],
    )
    survey_answer(
        survey=survey, user=people["school_user"], answers=answers_for(survey, 4, "อบรม", "ขอครู")
    )
    survey_answer(survey=survey, user=teacher2, answers=answers_for(survey, 5, "อบรม"))
    summary = survey_results(survey)
    assert summary.responses == 2
    rating, choice, text = summary.questions
    assert rating.average == 4.5
    assert rating.counts == [("1", 0), ("2", 0), ("3", 0), ("4", 1), ("5", 1)]
    assert choice.counts == [("อุปกรณ์", 0), ("อบรม", 2)]
    assert text.texts == [("โรงเรียนบ้านทดสอบ", "ขอครู")]


ANSWER_STATUS = {
    "school_user": 302,
    "other_school_user": 302,
    "staff": 403,
    "director": 403,
    "outsider_school_user": 404,
}


@pytest.mark.parametrize("role, expected", ANSWER_STATUS.items())
def test_who_answers_through_the_page(client, survey, everyone, role, expected):
    survey_send(survey=survey, user=everyone["staff"])
    client.force_login(everyone[role])
    q = {question.kind: question.pk for question in survey.questions.all()}
    response = client.post(
        reverse("workplans:survey_answer", args=[survey.pk]),
        {f"q{q['rating']}": "3", f"q{q['choice']}": "อุปกรณ์", f"q{q['text']}": ""},
    )
    assert response.status_code == expected
    assert SurveyResponse.objects.count() == (1 if expected == 302 else 0)


def test_a_second_visit_shows_already_answered_and_bad_input_keeps_typed_text(
    client, survey, people
):
    survey_send(survey=survey, user=people["staff"])
    client.force_login(people["school_user"])
    url = reverse("workplans:survey_answer", args=[survey.pk])
    q = {question.kind: question.pk for question in survey.questions.all()}
    response = client.post(url, {f"q{q['text']}": "ข้อความที่พิมพ์ไว้"})
    assert response.status_code == 400
    assert "ข้อความที่พิมพ์ไว้" in response.text
    client.post(url, {f"q{q['rating']}": "5", f"q{q['choice']}": "อบรม"})
    client.force_login(people["school_director"])
    assert "โรงเรียนของท่านตอบแบบสอบถามนี้แล้ว" in client.get(url).text


@pytest.mark.parametrize(
    "role, expected",
    [
        ("staff", 302),
        ("group_head", 302),
        ("director", 403),
        ("school_user", 404),
        ("outsider", 404),
    ],
)
def test_who_sends_the_survey(client, survey, everyone, role, expected):
    client.force_login(everyone[role])
    response = client.post(reverse("workplans:survey_send", args=[survey.pk]))
    assert response.status_code == expected
    survey.refresh_from_db()
    assert (survey.status == Survey.Status.OPEN) == (expected == 302)


def test_survey_builder_page_and_results_with_charts(client, definitions, people):
    plan = make_plan(people["staff"])
    client.force_login(people["staff"])
    url = reverse("workplans:survey_new", args=[plan.pk])
    form = {
        "title": "สำรวจ",
        "intro": "",
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "1",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-kind": "choice",
        "questions-0-text": "เลือกหนึ่ง",
        "questions-0-choices": "ก\n",
        "questions-0-required": "on",
        "questions-1-kind": "rating",
        "questions-1-text": "",
        "questions-1-required": "on",
    }
    response = client.post(url, form)
    assert response.status_code == 400  # one choice only: explained, typed text kept
    assert "เลือกหนึ่ง" in response.text
    form["questions-0-choices"] = "ก\nข"
    response = client.post(url, form)
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert list(survey.questions.values_list("kind", "choices")) == [
        (Question.Kind.CHOICE, ["ก", "ข"])
    ]
    page = client.get(survey.get_absolute_url()).text
    assert "<svg" in page


def test_the_school_home_page_counts_the_surveys_waiting(client, survey, people):
    client.force_login(people["school_user"])

    def surveys_card():
        return client.get("/").text.split('id="surveys"')[1].split("</section>")[0]

    assert "ไม่มีแบบสอบถามที่รอโรงเรียนของท่านตอบ" in surveys_card()
    survey_send(survey=survey, user=people["staff"])
    assert "แบบสอบถาม 1 ฉบับรอโรงเรียนของท่านตอบ" in surveys_card()
    survey_answer(survey=survey, user=people["school_user"], answers=answers_for(survey, 3, "อบรม"))
    assert "ไม่มีแบบสอบถามที่รอโรงเรียนของท่านตอบ" in surveys_card()


@pytest.mark.parametrize(
    "role, expected",
    [
        ("staff", 302),
        ("group_head", 302),
        ("director", 403),
        ("school_user", 404),
        ("outsider", 404),
    ],
)
def test_who_builds_a_survey(client, definitions, everyone, role, expected):
    plan = make_plan(everyone["staff"])
    client.force_login(everyone[role])
    response = client.post(
        reverse("workplans:survey_new", args=[plan.pk]),
        {
            "title": "สำรวจ",
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "1",
            "questions-MAX_NUM_FORMS": "1000",
            "questions-0-kind": "rating",
            "questions-0-text": "ความพร้อม",
            "questions-0-required": "on",
        },
    )
    assert response.status_code == expected
    assert Survey.objects.exists() == (expected == 302)


def test_the_public_page_shows_counts_but_not_schools_free_text(client, survey, people):
    from workplans.services import plan_mark_approved

    survey_send(survey=survey, user=people["staff"])
    survey_answer(
        survey=survey,
        user=people["school_user"],
        answers=answers_for(survey, 5, "อบรม", "ข้อความภายในของโรงเรียน"),
    )
    plan = survey.plan
    plan_mark_approved(plan=plan, user=people["director"], signature="director")
    page = client.get(reverse("workplans:public", args=[plan.public_slug])).text
    assert "ความพร้อมของอินเทอร์เน็ต" in page
    assert "ข้อความภายในของโรงเรียน" not in page
    client.force_login(people["director"])
    assert "ข้อความภายในของโรงเรียน" in client.get(reverse("workplans:read", args=[plan.pk])).text
