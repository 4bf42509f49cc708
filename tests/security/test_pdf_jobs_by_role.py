"""Every PDF rendered in the background, by every role and by a person of another office: the
same access as when PDFs were rendered in the request. Those who may have the document are
sent to its progress page, the worker renders it, they download it; nobody else gets that job's
file, and the others are refused at the address itself (403 or 404).

WeasyPrint's layout is replaced by a stand-in here (every template is still rendered with its
real context): the real PDFs are checked in each app's tests."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Office, RoleCode
from core.models import RenderJob
from tests.factories import make_user
from tests.render_jobs import eager_worker, job_of
from tests.security.conftest import ROLES
from tests.security.test_url_matrix import MATRIX

PDFS = [
    "dmc_emis:summary_pdf",
    "documents:memo",
    "equipment_loans:slip",
    "minutes:pdf",
    "reports:dossier",
    "trainings:certificate",
    "workplans:budget_pdf",
    "workplans:pdf",
    "workplans:spec_draft_pdf",
    "workplans:year_end_pdf",
]
STAND_IN = b"%PDF-1.7 stand-in\n"


class StandInHTML:
    """WeasyPrint's HTML as far as core.pdf uses it: the HTML is kept, the PDF is a stand-in."""

    rendered: list[str] = []

    def __init__(self, string: str, **options) -> None:
        self.string = string

    def render(self) -> StandInHTML:
        StandInHTML.rendered.append(self.string)
        return self

    def write_pdf(self, **options) -> bytes:
        return STAND_IN


@pytest.fixture
def quick_layout(monkeypatch):
    import weasyprint

    StandInHTML.rendered = []
    monkeypatch.setattr(weasyprint, "HTML", StandInHTML)
    return StandInHTML.rendered


@pytest.fixture
def outsider(db):
    """Staff of another office: the same role, none of this office's documents."""
    other = Office.objects.create(code="9902", name_th="สพป.อื่น เขต 2", kind=Office.Kind.PRIMARY)
    return make_user(RoleCode.STAFF, office=other, username="outsider_staff")


def test_every_pdf_by_every_role(scenario, client_for, outsider, quick_layout):
    clients = {role: client_for(role) for role in ROLES}
    clients["outsider"] = Client()
    clients["outsider"].force_login(outsider)
    users = {**scenario["users"], "outsider": outsider}
    wrong = []
    for name in PDFS:
        kwargs, codes = MATRIX[name]
        url = reverse(name, kwargs=kwargs(scenario))
        for role, code in [*zip(ROLES, codes, strict=True), ("outsider", "N")]:
            wrong += check(name, url, role, code, clients, users.get(role))
    assert not wrong, "\n".join(wrong)
    assert len(quick_layout) >= 40  # the templates were rendered, for every allowed role


def check(name: str, url: str, role: str, code: str, clients: dict[str, Client], user) -> list[str]:
    client = clients[role]
    jobs_before = RenderJob.objects.count()
    with eager_worker():
        response = client.get(url)
    if role == "anonymous":
        ok = response.status_code == 302 and "/login/" in response.url
        return [] if ok else [f"{name} anonymous: {response.status_code}"]
    if code != "3":  # refused at once, as before
        expected = {"4": 403, "N": 404}[code]
        made = RenderJob.objects.count() != jobs_before
        if response.status_code != expected or made:
            where = getattr(response, "url", "")
            return [f"{name} {role}: {response.status_code} {where}, expected {expected}"]
        return []
    if name == "trainings:certificate" and response.status_code == 200:
        # Kept by the worker of an earlier role: served at once from then on.
        return [] if response.content.startswith(b"%PDF") else [f"{name} {role}: kept file?"]
    job = job_of(response)
    job.refresh_from_db()
    if job.status != RenderJob.Status.DONE or job.requested_by_id != user.pk:
        return [f"{name} {role}: job {job.status} {job.error}"]
    download = client.get(reverse("files:download", args=[job.pk]))
    if download.status_code != 200 or b"".join(download.streaming_content) != STAND_IN:
        return [f"{name} {role}: download {download.status_code}"]
    others = [other for other in clients if other not in (role, "anonymous")]
    stolen = [
        other
        for other in others
        if clients[other].get(reverse("files:download", args=[job.pk])).status_code != 404
    ]
    return [f"{name} {role}: {stolen} reached the job's file"] if stolen else []
