"""Checks on files that people upload: how many, how large, and whether the content matches
the name (a renamed .exe is refused whatever it is called)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_UPLOADS = 5
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# What each allowed extension's file must start with: a renamed .exe is refused.
UPLOAD_SIGNATURES = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".pdf": (b"%PDF-",),
    ".webp": (b"RIFF",),
}
CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".webp": "image/webp",
}


def check_uploads(uploads: Sequence[UploadedFile[bytes]]) -> None:
    """At most five photos or PDFs of 5 MB each, whose content matches their name."""
    if len(uploads) > MAX_UPLOADS:
        raise ValidationError({"files": _("Attach at most %(n)s files.") % {"n": MAX_UPLOADS}})
    for upload in uploads:
        name = upload.name or ""
        extension = Path(name).suffix.lower()
        if extension not in UPLOAD_SIGNATURES:
            raise ValidationError(
                {
                    "files": _("%(name)s: only photos (JPEG, PNG, WebP) or PDF files.")
                    % {"name": upload.name}
                }
            )
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise ValidationError(
                {"files": _("%(name)s is larger than 5 MB.") % {"name": upload.name}}
            )
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not head.startswith(UPLOAD_SIGNATURES[extension]):
            raise ValidationError(
                {
                    "files": _("%(name)s is not really a %(kind)s file.")
                    % {"name": upload.name, "kind": extension[1:].upper()}
                }
            )
