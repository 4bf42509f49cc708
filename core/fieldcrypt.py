"""Personal data encrypted at rest: one column's values sealed with AES-256-GCM and a keyed
hash (HMAC-SHA256) beside them for look-ups and duplicate checks.

Both keys are derived (HKDF-SHA256, one `purpose` each) from `settings.PORTAL_FIELD_KEY`, a
secret from the environment that production must set (config/settings.py refuses to start
without it). The primitives are those of `cryptography`; nothing here is home-made but the
framing of a token: ``g1:`` + URL-safe base64 of nonce (12 bytes), ciphertext and GCM tag.

The column's name goes in as associated data, so a token copied into another column does not
decrypt. The keyed hash is deterministic (same value, same hash) by design: that is what a
duplicate check needs, and without the key it tells nothing about the value, whereas a plain
SHA-256 of a 13-digit ID can be reversed by trying every number.

An empty value stays empty in both columns: "no value" must remain visible to queries.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Iterable
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "g1:"
NONCE_BYTES = 12
# Nonce, a 13-digit ID and the tag: 41 bytes, 56 characters of base64, plus the prefix.
TOKEN_MAX_LENGTH = 120
HASH_LENGTH = 64


class DecryptionError(Exception):
    """A stored token that this key cannot open (another key, a damaged value)."""


def _derive(secret: str, info: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"ict-portal field keys", info=info
    ).derive(secret.encode())


class FieldCipher:
    """Seals and opens the values of one column, and hashes them for look-ups."""

    def __init__(self, secret: str, purpose: str):
        if not secret:
            raise ValueError("PORTAL_FIELD_KEY is empty")
        self._aad = purpose.encode()
        self._aead = AESGCM(_derive(secret, b"encrypt:" + self._aad))
        self._mac_key = _derive(secret, b"lookup:" + self._aad)
        # The keyed state after the key's block: each value's hash starts from a copy of it.
        self._mac = hmac.new(self._mac_key, digestmod=hashlib.sha256)

    def encrypt(self, value: str) -> str:
        if not value:
            return ""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, value.encode(), self._aad)
        return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, token: str) -> str:
        if not token:
            return ""
        if not token.startswith(PREFIX):
            raise DecryptionError("not a sealed value")
        try:
            raw = base64.urlsafe_b64decode(token[len(PREFIX) :])
            return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], self._aad).decode()
        except (InvalidTag, ValueError, UnicodeDecodeError) as error:
            raise DecryptionError("the value does not open with this key") from error

    def lookup_hash(self, value: str) -> str:
        """HMAC-SHA256 of the value in hex: equal values, equal hashes; "" stays ""."""
        if not value:
            return ""
        return hmac.digest(self._mac_key, value.encode(), "sha256").hex()

    def seal_many(self, values: Iterable[str]) -> list[tuple[str, str]]:
        """(token, hash) for each value of a batch, in order; the same as `encrypt` and
        `lookup_hash` one by one, at about half the cost for a million-row import: the nonces
        come from one read of the system's random source and the HMAC's keyed state is reused.
        """
        values = list(values)
        nonces = os.urandom(NONCE_BYTES * len(values))
        seal, aad, encode64 = self._aead.encrypt, self._aad, base64.urlsafe_b64encode
        keyed = self._mac
        sealed = []
        for index, value in enumerate(values):
            if not value:
                sealed.append(("", ""))
                continue
            plain = value.encode()
            nonce = nonces[index * NONCE_BYTES : (index + 1) * NONCE_BYTES]
            token = PREFIX + encode64(nonce + seal(nonce, plain, aad)).decode("ascii")
            mac = keyed.copy()
            mac.update(plain)
            sealed.append((token, mac.hexdigest()))
        return sealed


@lru_cache(maxsize=16)
def _cipher(secret: str, purpose: str) -> FieldCipher:
    return FieldCipher(secret, purpose)


def cipher_for(purpose: str) -> FieldCipher:
    """The cipher of one column (e.g. ``"dmc_emis.StudentRecord.national_id"``) under the
    configured key; a changed setting (tests) gives a new cipher."""
    from django.conf import settings

    return _cipher(settings.PORTAL_FIELD_KEY, purpose)
