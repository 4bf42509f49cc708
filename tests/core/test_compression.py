"""Pages and text downloads go out gzip-compressed to browsers that accept it; files that are
compressed already (PDF, spreadsheets, images) go out as they are."""

from __future__ import annotations

import gzip

import pytest
from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from core.compression import TextCompressionMiddleware

CSV = "โรงเรียน,จำนวนนักเรียน\n" + "โรงเรียนบ้านหนองบัว,120\n" * 200


def _through(response, *, accept: str = "gzip, deflate, br"):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    return TextCompressionMiddleware(lambda _request: response)(request)


def test_the_portal_compresses_by_default():
    assert "core.compression.TextCompressionMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db
def test_a_page_is_sent_compressed_to_a_browser_that_accepts_it(client):
    plain = client.get("/login/")
    packed = client.get("/login/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    page = gzip.decompress(packed.content).decode()
    assert 'name="username"' in page
    assert len(packed.content) < len(plain.content) / 2


def test_csv_is_compressed_and_reads_back_the_same():
    response = _through(HttpResponse(CSV, content_type="text/csv; charset=utf-8"))
    assert response["Content-Encoding"] == "gzip"
    assert int(response["Content-Length"]) == len(response.content)
    assert gzip.decompress(response.content).decode() == CSV


def test_a_streamed_csv_is_compressed_chunk_by_chunk():
    lines = CSV.splitlines(keepends=True)
    response = _through(StreamingHttpResponse(iter(lines), content_type="text/csv"))
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)).decode() == CSV


@pytest.mark.parametrize(
    "content_type",
    [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "image/png",
        "application/zip",
    ],
)
def test_files_compressed_already_go_out_as_they_are(content_type):
    body = b"%PDF-1.7 " + b"0" * 5000
    response = _through(HttpResponse(body, content_type=content_type))
    assert "Content-Encoding" not in response
    assert response.content == body


def test_a_file_download_keeps_its_length(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7 " + b"0" * 5000)
    with path.open("rb") as handle:
        response = _through(FileResponse(handle, content_type="application/pdf"))
        assert "Content-Encoding" not in response
        assert response["Content-Length"] == str(path.stat().st_size)


def test_nothing_is_compressed_for_a_client_that_does_not_ask():
    response = _through(HttpResponse(CSV, content_type="text/csv"), accept="identity")
    assert "Content-Encoding" not in response
    assert response.content.decode() == CSV
