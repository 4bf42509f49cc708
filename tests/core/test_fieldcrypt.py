"""Sealing a batch is the same as sealing one by one: tokens open to the value, hashes match."""

from __future__ import annotations

from core.fieldcrypt import FieldCipher


def test_a_sealed_batch_opens_and_hashes_as_values_sealed_one_by_one():
    cipher = FieldCipher("a field key", "dmc_emis.StudentRecord.national_id")
    values = ["1100000000011", "", "3-1234-56789-01-2", "๑๒๓", "1100000000011"]
    sealed = cipher.seal_many(iter(values))
    assert len(sealed) == len(values)
    for value, (token, digest) in zip(values, sealed, strict=True):
        assert cipher.decrypt(token) == value
        assert digest == cipher.lookup_hash(value)
        assert (token == "") == (value == "")
    # Each token has its own nonce: the same number twice gives two tokens, one hash.
    assert sealed[0][0] != sealed[4][0] and sealed[0][1] == sealed[4][1]
    assert cipher.seal_many([]) == []
