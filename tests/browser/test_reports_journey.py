"""The director asks for the yearly report, watches it being prepared, downloads it; the case
page offers the dossier and the memo as PDFs."""

from __future__ import annotations

import pytest

from processes.services import case_start, task_complete
from reports import services
from reports.models import ReportJob
from tests.render_jobs import download_in_browser

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, username):
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "x")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_yearly_report_from_request_to_download(
    page, people, plan_definition, monkeypatch, sent_renders
):
    queued = []
    monkeypatch.setattr(services, "_enqueue", queued.append)  # the test plays the worker
    case = case_start(definition=plan_definition, requester=people["staff"], title="แผนดิจิทัล")
    task_complete(
        task=case.tasks.get(), user=people["staff"], outcome="done", data={"summary": "ร่าง"}
    )

    log_in(page, "director")
    page.goto("/reports/")
    page.select_option("select[name=kind]", "yearly_report")
    page.locator("form[action$='/reports/request/'] button").click()
    page.wait_for_load_state()
    job = ReportJob.objects.get()
    assert queued == [job.pk]
    assert page.locator("#job-progress .progress").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1

    services.report_job_run(job_id=job.pk)  # the worker's turn
    download = page.locator("#job-progress a[href$='/download/']")
    download.wait_for(timeout=10_000)  # the card polls every 2 s and swaps itself
    response = page.request.get(download.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")

    log_in(page, "head")
    for link in ("a[href$='.pdf'][href*='/dossier/']", "a[href$='.pdf'][href*='/memo/']"):
        page.goto(case.get_absolute_url())
        href = page.locator(link).first.get_attribute("href")
        data, download = download_in_browser(page, href)
        assert data.startswith(b"%PDF") and download.suggested_filename.endswith(".pdf")
