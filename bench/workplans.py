"""Benchmark: a large plan's pages and a survey answered by every school.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<own database> \
        .venv/bin/python bench/workplans.py --schools 500 --requests 30

Builds (once) an office with N schools, a digital-quality plan with 20 projects of 10
activities (each with 20 target schools) and 10 KPIs, and a 10-question survey answered by every
school; then serves, in-process through Django's test client, the plan workspace, the reading
view, the survey results (with charts) and the follow-up page, and prints the median and p95
latency of each, plus one plan PDF. Use a database of its own: it is migrated and filled.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from results import record  # noqa: E402  (bench/ is a folder of scripts, not a package)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A throw-away key: production settings refuse to start without one.
os.environ.setdefault("DJANGO_SECRET_KEY", os.urandom(32).hex())
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("STATIC_MANIFEST", "false")

TITLE = "แผนทดสอบสมรรถนะ"


def build(n_schools: int) -> None:
    import json
    import random

    from django.db import transaction

    from accounts.models import Office, Role, School, User
    from processes.definitions import definition_import
    from workplans.models import (
        KPI,
        Activity,
        Answer,
        Plan,
        Project,
        Question,
        Survey,
        SurveyResponse,
    )
    from workplans.services import plan_create, survey_create, survey_send

    if Plan.objects.filter(title=TITLE).exists():
        return
    catalogue = ROOT / "fixtures" / "processes"
    definition_import(json.loads((catalogue / "digital-tech-plan.json").read_text("utf-8")))
    random.seed(7)
    with transaction.atomic():
        office = Office.objects.create(code="B7", name_th="สพป.ทดสอบสมรรถนะ", kind="primary")
        schools = School.objects.bulk_create(
            School(
                office=office,
                obec_code=f"17{i:08d}",
                smis_code=f"7{i:07d}",
                name_th=f"โรงเรียนทดสอบ {i}",
                district="เมือง",
            )
            for i in range(n_schools)
        )
        staff = User.objects.create_user(username="bench-plan-staff", password="x", office=office)
        staff.roles.add(Role.objects.get(code="staff"))
        plan = plan_create(
            user=staff,
            kind="digital_quality",
            title=TITLE,
            fiscal_year_start=2570,
            fiscal_year_end=2572,
        )
        for p in range(20):
            project = Project.objects.create(plan=plan, position=p + 1, name=f"โครงการ {p + 1}")
            for a in range(10):
                activity = Activity.objects.create(
                    project=project,
                    position=a + 1,
                    name=f"กิจกรรม {a + 1}",
                    owner="ก",
                    budget=random.randint(1, 100) * 1000,
                )
                activity.target_schools.set(random.sample(schools, 20))
        KPI.objects.bulk_create(
            KPI(plan=plan, position=k + 1, name=f"ตัวชี้วัด {k + 1}", unit="ร้อยละ", target=80)
            for k in range(10)
        )
        questions = [{"kind": "rating", "text": f"คำถาม {q + 1}"} for q in range(8)]
        questions += [
            {"kind": "choice", "text": "ความต้องการ", "choices": ["อุปกรณ์", "อบรม", "เครือข่าย"]},
            {"kind": "text", "text": "ข้อเสนอแนะ", "required": False},
        ]
        survey = survey_create(plan=plan, user=staff, title="สำรวจ", intro="", questions=questions)
        survey_send(survey=survey, user=staff)
        survey = Survey.objects.get(pk=survey.pk)
        submitter = staff
        responses = SurveyResponse.objects.bulk_create(
            SurveyResponse(survey=survey, school=school, submitted_by=submitter)
            for school in schools
        )
        answers = []
        for response in responses:
            for question in Question.objects.filter(survey=survey):
                if question.kind == "rating":
                    answers.append(
                        Answer(response=response, question=question, rating=random.randint(1, 5))
                    )
                elif question.kind == "choice":
                    answers.append(
                        Answer(
                            response=response,
                            question=question,
                            choice=random.choice(question.choices),
                        )
                    )
                else:
                    answers.append(Answer(response=response, question=question, text="ขอบคุณ"))
        Answer.objects.bulk_create(answers, batch_size=5000)


def measure(requests: int, schools: int) -> None:
    from django.test import Client

    from accounts.models import User
    from workplans.models import Plan

    plan = Plan.objects.get(title=TITLE)
    survey = plan.surveys.get()
    client = Client()
    client.force_login(User.objects.get(username="bench-plan-staff"))
    pages = {
        "plan workspace": f"/workplans/{plan.pk}/",
        "reading view": f"/workplans/{plan.pk}/read/",
        "survey results": f"/workplans/surveys/{survey.pk}/",
    }
    for label, url in pages.items():
        client.get(url)  # warm up
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        median = statistics.median(times)
        print(f"{label:16} median {median:7.1f} ms   p95 {p95:7.1f} ms")
        record(
            f"workplans (in-process), {label}: median",
            median,
            "ms",
            detail=f"p95 {p95:.0f} ms; {schools} schools",
        )
    # The plan PDF renders in a worker (core.RenderJob): the request only queues it, and the
    # worker's run is timed here in-process, as a worker would do it.
    from core.models import RenderJob
    from core.render_jobs import render_job_run

    # A job of an earlier run would be reused (same person, same unchanged plan): start afresh.
    RenderJob.objects.all().delete()
    start = time.perf_counter()
    response = client.get(f"/workplans/{plan.pk}/pdf/")
    queued = (time.perf_counter() - start) * 1000
    assert response.status_code == 302, response.status_code
    job = RenderJob.objects.get()
    start = time.perf_counter()
    outcome = render_job_run(job_id=job.pk)
    elapsed = (time.perf_counter() - start) * 1000
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        data = handle.read()
    assert job.status == RenderJob.Status.DONE and data.startswith(b"%PDF"), outcome
    print(f"{'plan PDF':16} {elapsed:7.0f} ms in the worker, {len(data):,} bytes")
    print(f"{'plan PDF request':16} {queued:7.1f} ms (queues the job)")
    record(
        "workplans, plan PDF (worker)",
        elapsed,
        "ms",
        detail=f"{len(data):,} bytes; {schools} schools",
    )
    record("workplans, plan PDF request (queues it)", queued, "ms", detail=f"{schools} schools")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=500)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build(args.schools)
    measure(args.requests, args.schools)


if __name__ == "__main__":
    main()
