"""The round's PDF summary is rendered by the portal's shared Thai PDF layer; its template
extends reports/pdf/base.html. Re-exported here so the views keep one import per app."""

from __future__ import annotations

from core.pdf import render_pdf

__all__ = ["render_pdf"]
