"""PAdES signatures with pyHanko: the office's PKCS#12 certificate signs issued documents; the
verification page and the tests validate them.

The certificate file is an office setting (uploaded by its administrator, kept in storage); its
passphrase comes from the environment (DOCUMENT_SIGNING_PASSPHRASE), never from the database.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings

SIGNATURE_FIELD = "OfficeSignature"


def _load_signer(office_settings):
    from pyhanko.sign import signers

    if not office_settings.pk or not office_settings.signing_certificate:
        return None
    with office_settings.signing_certificate.open("rb") as handle:
        pkcs12 = handle.read()
    passphrase = settings.DOCUMENT_SIGNING_PASSPHRASE.encode() or None
    return signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=[], passphrase=passphrase)


def outside_event_loop(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Call pyHanko's synchronous API, which runs its own event loop (asyncio.run): in a worker
    thread when this thread already runs one (a live server, an async view, a browser test)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sign_pdf(data: bytes, office_settings, *, reason: str, location: str) -> tuple[bytes, bool]:
    """The PDF signed with the office's certificate (PAdES baseline B), or unchanged and False
    when the office has no certificate."""
    signer = _load_signer(office_settings)
    if signer is None:
        return data, False
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    out = outside_event_loop(signers.sign_pdf, writer, meta, signer=signer)
    return out.getvalue(), True


@dataclass
class SignatureReport:
    present: bool
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    signer: str = ""
    signed_at: datetime.datetime | None = None
    covers_whole_file: bool = False


def office_certificate(office_settings):
    """The office certificate (asn1crypto), the trust root its own documents are checked with."""
    signer = _load_signer(office_settings)
    return signer.signing_cert if signer else None


def check_signature(data: bytes, office_settings=None) -> SignatureReport:
    """Validate the document's signature: unchanged since signing (intact), cryptographically
    valid, and, when the office's certificate is given, made with that certificate (trusted)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data))
        embedded = reader.embedded_signatures
    except Exception:
        return SignatureReport(present=False)
    if not embedded:
        return SignatureReport(present=False)
    signature = embedded[0]
    root = office_certificate(office_settings) if office_settings is not None else None
    context = ValidationContext(trust_roots=[root] if root else [], allow_fetching=False)
    status = outside_event_loop(validate_pdf_signature, signature, context)
    assert status.coverage is not None  # a validated embedded signature always has a coverage
    return SignatureReport(
        present=True,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        signer=status.signing_cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
        covers_whole_file=status.coverage.name == "ENTIRE_FILE",
    )


def self_signed_pkcs12(common_name: str, passphrase: bytes | None, *, days: int = 3650) -> bytes:
    """A self-signed certificate for the demo office (never for a real one)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, NoEncryption
    from cryptography.hazmat.primitives.serialization import pkcs12 as p12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    short = common_name
    while len(short.encode()) > 64:  # X.509 names hold at most 64 bytes (Thai is 3 each)
        short = short[:-1]
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, short),
            x509.NameAttribute(NameOID.COMMON_NAME, short),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    encryption = BestAvailableEncryption(passphrase) if passphrase else NoEncryption()
    return p12.serialize_key_and_certificates(common_name.encode(), key, cert, None, encryption)
