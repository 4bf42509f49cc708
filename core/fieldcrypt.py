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
        # The keyed state after the key's block: each value's hash starts from a copy of it.
        self._mac = hmac.new(_derive(secret, b"lookup:" + self._aad), digestmod=hashlib.sha256)

    def encrypt(self, value: str) -> str:
        return self._seal(value.encode(), os.urandom(NONCE_BYTES)) if value else ""

    def _seal(self, plain: bytes, nonce: bytes) -> str:
        sealed = self._aead.encrypt(nonce, plain, self._aad)
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
        return self._hash(value.encode()) if value else ""

    def _hash(self, plain: bytes) -> str:
        mac = self._mac.copy()
        mac.update(plain)
        return mac.hexdigest()

    def seal_many(self, values: Iterable[str]) -> list[tuple[str, str]]:
        """(token, hash) for each value of a batch, in order, as `encrypt` and `lookup_hash`
        give them one by one; the nonces come from one read of the system's random source."""
        values = list(values)
        nonces = os.urandom(NONCE_BYTES * len(values))
        sealed = []
        for index, value in enumerate(values):
            if not value:
                sealed.append(("", ""))
                continue
            plain = value.encode()
            nonce = nonces[index * NONCE_BYTES : (index + 1) * NONCE_BYTES]
            sealed.append((self._seal(plain, nonce), self._hash(plain)))
        return sealed


@lru_cache(maxsize=16)
def _cipher(secret: str, purpose: str) -> FieldCipher:
    return FieldCipher(secret, purpose)


def cipher_for(purpose: str) -> FieldCipher:
    """The cipher of one column (e.g. ``"dmc_emis.StudentRecord.national_id"``) under the
    configured key; a changed setting (tests) gives a new cipher."""
    from django.conf import settings

    return _cipher(settings.PORTAL_FIELD_KEY, purpose)
