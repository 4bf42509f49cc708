"""Pages and text downloads sent gzip-compressed to browsers that accept it.

Schools open the portal on phones and slow links. At a large office the loans calendar is about
240 KB of HTML and the inbox about 95 KB. Compressed they are 8 KB each, for well under a
millisecond of the server's time (bench figures in the README).

Django's GZipMiddleware pads every compressed body with random bytes (its answer to BREACH),
and CSRF tokens are masked afresh on each request, so compressing pages that carry them is safe.
Only text is compressed: PDFs, spreadsheets, images and zips are compressed already, and
compressing a file sent with its Content-Length would drop it (the browser's progress bar).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

TEXT_TYPES = frozenset(
    {
        "text/html",
        "text/plain",
        "text/csv",
        "application/json",
    }
)


def is_text(response: HttpResponseBase) -> bool:
    media_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return media_type in TEXT_TYPES


class TextCompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for text responses only (see the module's docstring)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not is_text(response):
            return response
        return super().process_response(request, response)
