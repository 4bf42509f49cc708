"""Stakeholder surveys: staff build and send one, each school answers once, results with charts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from processes.forms import add_service_errors
from workplans import charts
from workplans.forms import AnswerForm, QuestionFormSet, SurveyForm
from workplans.selectors import (
    get_editable_plan,
    get_survey_for_office,
    get_survey_to_answer,
    is_group_member,
    school_has_answered,
    survey_results,
)
from workplans.services import survey_answer, survey_close, survey_create, survey_send


@login_required
def survey_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_editable_plan(request.user, pk)
    posted = request.method == "POST"
    form = SurveyForm(request.POST if posted else None)
    questions = QuestionFormSet(request.POST if posted else None, prefix="questions")
    if posted and form.is_valid() and questions.is_valid():
        rows = [q.cleaned_data for q in questions if q.cleaned_data.get("text")]
        try:
            survey = survey_create(
                plan=plan,
                user=request.user,
                title=form.cleaned_data["title"],
                intro=form.cleaned_data["intro"],
                questions=rows,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The survey is ready. Check it, then send it to schools."))
            return redirect(survey)
    return render(
        request,
        "workplans/survey_new.html",
        {"plan": plan, "form": form, "questions": questions},
        status=400 if posted else 200,
    )


@login_required
def survey_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_office(request.user, pk)
    summary = charts.add_charts([survey_results(survey)])[0]
    return render(
        request,
        "workplans/survey_detail.html",
        {
            "survey": survey,
            "plan": survey.plan,
            "summary": summary,
            "can_manage": is_group_member(request.user, survey.plan.office_id),
        },
    )


@login_required
@require_POST
def survey_send_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_office(request.user, pk)
    try:
        count = survey_send(survey=survey, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Sent to the schools (%(count)s people notified).") % {"count": count}
        )
    return redirect(survey)


@login_required
@require_POST
def survey_close_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    survey = get_survey_for_office(request.user, pk)
    survey_close(survey=survey, user=request.user)
    messages.success(request, _("The survey is closed."))
    return redirect(survey)


@login_required
def survey_answer_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_school_side:
        raise PermissionDenied
    survey = get_survey_to_answer(request.user, pk)
    if school_has_answered(survey, request.user.school_id):
        return render(request, "workplans/survey_answered.html", {"survey": survey})
    form = AnswerForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            survey_answer(survey=survey, user=request.user, answers=form.answers())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your school's answer is recorded."))
            return redirect("workplans:index")
    return render(
        request,
        "workplans/survey_answer.html",
        {"survey": survey, "form": form},
        status=400 if request.method == "POST" else 200,
    )
