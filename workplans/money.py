"""Baht for people and for paper: "1,234.50" and "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์".

Imports no app of the project (a candidate for core/). The words come from pythainlp's
`bahttext`, a kept library, given the amount rounded to satang; negative amounts read
"ลบ …" (an overspent remainder is printed, never hidden).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def _satang(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        return None


def baht_words(value: object) -> str:
    from pythainlp.util import bahttext

    amount = _satang(value)
    if amount is None:
        return ""
    words = bahttext(float(abs(amount)))
    return f"ลบ{words}" if amount < 0 else words


def baht(value: object) -> str:
    amount = _satang(value)
    return "" if amount is None else f"{amount:,.2f}"
