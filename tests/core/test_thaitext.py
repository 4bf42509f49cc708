"""Amounts in Thai words (core.thaitext.baht_words, from pythainlp's bahttext)."""

from decimal import Decimal

import pytest

from core.thaitext import baht_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (12000, "หนึ่งหมื่นสองพันบาทถ้วน"),
        (Decimal("12000.00"), "หนึ่งหมื่นสองพันบาทถ้วน"),
        (Decimal("1500.25"), "หนึ่งพันห้าร้อยบาทยี่สิบห้าสตางค์"),
        (Decimal("0.50"), "ห้าสิบสตางค์"),
        (1_000_000, "หนึ่งล้านบาทถ้วน"),
        (21_000_000, "ยี่สิบเอ็ดล้านบาทถ้วน"),
        (Decimal("2500000.75"), "สองล้านห้าแสนบาทเจ็ดสิบห้าสตางค์"),
        (Decimal("101.01"), "หนึ่งร้อยเอ็ดบาทหนึ่งสตางค์"),
        (Decimal("110000.005"), "หนึ่งแสนหนึ่งหมื่นบาทหนึ่งสตางค์"),  # rounded half up
    ],
)
def test_amounts_in_thai_words(amount, words):
    assert baht_words(amount) == words


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError):
        baht_words(Decimal("-1"))
