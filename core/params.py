"""Reading numbers people (or junk in an address) give us, without surprises.

`str.isdigit()` is true for '²', '๑' and '٣' too, and Python's `int()` takes some of those but
not others; a database column takes at most 2⁶³-1. Anything outside plain ASCII digits that
fit a BIGINT reads as "no number", so a filter falls back to nothing rather than a 500.
"""

from __future__ import annotations

MAX_BIGINT = 2**63 - 1


def is_ascii_digits(text: str) -> bool:
    """'0'-'9' only, at least one: no superscripts, no Thai or Arabic-Indic digits, no sign."""
    return bool(text) and text.isascii() and text.isdigit()


def int_param(value: object, *, maximum: int = MAX_BIGINT) -> int | None:
    """A non-negative whole number that fits a database id, or None."""
    text = str(value if value is not None else "").strip()
    if not is_ascii_digits(text) or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if number <= maximum else None
