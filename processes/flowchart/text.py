"""Text of the flowchart: sizes, cleaning, and wrapping names to their boxes.

Word breaking and width estimates are :mod:`core.thaitext`'s; this module only adds the
flowchart's sizes and its rule for a name too long for any box.
"""

from __future__ import annotations

import re

from core import thaitext

FS = 14.0  # step text
LH = 20.0  # step text line height
META_FS = 11.5  # grey time / role lines under a box
META_LH = 14.5
META_W = 230.0  # widest grey line before it wraps
LABEL_FS = 12.0  # outcome labels on edges
MAX_LINES = 8  # a name longer than this many lines is cut short with an ellipsis
MAX_CHARS = 600  # nor is more than this much of it ever wrapped

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"\s+")


def clean(value: object) -> str:
    """Any value as a one-line string with nothing in it that XML forbids; never raises."""
    if value is None:
        return ""
    try:
        text = value if isinstance(value, str) else str(value)
    except Exception:
        return ""
    return _SPACES.sub(" ", _INVALID_XML.sub("", text)).strip()


def wrap(text: str, budget: float, size: float = FS) -> list[str]:
    """``text`` cleaned and split into lines no wider than ``budget`` (see core.thaitext)."""
    return thaitext.wrap(clean(text), budget, size)


def wrap_name(name: str, budget: float) -> list[str]:
    """A step's name in lines; beyond MAX_LINES (or MAX_CHARS) it ends in an ellipsis."""
    lines = wrap(name[:MAX_CHARS], budget)
    if len(lines) > MAX_LINES or len(name) > MAX_CHARS:
        lines = lines[:MAX_LINES]
        last = lines[-1]
        cut = len(last) - 1  # drop the last letter with its marks to make room
        while cut > 0 and thaitext.is_attached(last[cut]):
            cut -= 1
        lines[-1] = last[:cut].rstrip() + "\u2026"
    return lines
