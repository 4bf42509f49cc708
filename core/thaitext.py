"""Thai text helpers every app may use; this module imports no app of the project."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from pythainlp.util import bahttext

__all__ = ["baht_words"]


def baht_words(amount: Decimal | int | float | str) -> str:
    """An amount of money in Thai words as official documents write it, from pythainlp:
    12000 -> 'หนึ่งหมื่นสองพันบาทถ้วน', 1500.25 -> 'หนึ่งพันห้าร้อยบาทยี่สิบห้าสตางค์'.

    Rounded to the satang first (half up, as money is); an amount under one baht reads
    'ห้าสิบสตางค์', not 'ศูนย์บาทห้าสิบสตางค์'.
    """
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        raise ValueError("A negative amount has no words on a document.")
    words = bahttext(float(value))
    if value < 1 and value > 0:
        words = words.removeprefix("ศูนย์บาท")
    return words
