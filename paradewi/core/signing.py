"""The PAdES signature of the PDFs paradewi makes (receipts, pre-filled official forms).

A PKCS#12 file (key and certificate) named by SIGNING_PKCS12_PATH signs every such PDF with a
PAdES B-B signature (ETSI EN 319 142, SHA-256), as a certification signature that allows no
later change: a PDF reader shows who made the file and flags any edit. Nothing goes over the
network: no revocation data is fetched, and a timestamp (PAdES B-T) is only requested when
SIGNING_TIMESTAMP_URL names a timestamp server. Without a key the PDFs are returned unsigned.

docs/documents.md ("Signatures") says how to configure a key and check a signature.
"""

from __future__ import annotations

import asyncio
import io
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps

logger = logging.getLogger(__name__)

FIELD_NAME = "paradewi"


@dataclass(frozen=True)
class SigningKey:
    signer: signers.SimpleSigner
    subject: str
    # Room for the signature container (hexadecimal digits in the file: two per byte): the
    # certificates plus the signature and its attributes. Known in advance, pyHanko need not
    # sign twice to measure it.
    reserve: int


@lru_cache(maxsize=4)
def _load_key(path: str, password: str) -> SigningKey | None:
    """The key of `path`, read once per process (per path and password).

    A missing file is an error, except in demo mode, where `make run` creates the demo key and
    a server started without it still works (unsigned, with a warning).
    """
    file = Path(path)
    if not file.is_file():
        if settings.DEMO_MODE:
            logger.warning(
                "No signing key at %s: PDFs are not signed (manage.py make_signing_key).", path
            )
            return None
        raise ImproperlyConfigured(f"SIGNING_PKCS12_PATH={path!r}: no such file.")
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            file.read_bytes(), other_certs=(), passphrase=password.encode() or None
        )
    except (ValueError, OSError) as error:
        raise ImproperlyConfigured(
            f"SIGNING_PKCS12_PATH={path!r} cannot be read with SIGNING_PKCS12_PASSWORD "
            f"(a PKCS#12 file with a private key and its certificate is needed): {error}"
        ) from error
    if signer.signing_cert is None:
        raise ImproperlyConfigured(f"SIGNING_PKCS12_PATH={path!r} holds no certificate.")
    certificates = [signer.signing_cert, *signer.cert_registry]
    return SigningKey(
        signer=signer,
        subject=signer.signing_cert.subject.human_friendly,
        reserve=2 * (4096 + sum(len(certificate.dump()) for certificate in certificates)),
    )


def signing_key() -> SigningKey | None:
    """The configured key, or None when PDFs are not signed."""
    path: str = settings.SIGNING_PKCS12_PATH
    if not path:
        return None
    return _load_key(path, settings.SIGNING_PKCS12_PASSWORD)


def is_signing_enabled() -> bool:
    return signing_key() is not None


def _sign(data: bytes, key: SigningKey, *, reason: str, location: str) -> bytes:
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        embed_validation_info=False,
    )
    url: str = settings.SIGNING_TIMESTAMP_URL
    timestamper = timestamps.HTTPTimeStamper(url) if url else None
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    output = io.BytesIO()
    signers.PdfSigner(metadata, signer=key.signer, timestamper=timestamper).sign_pdf(
        writer,
        output=output,
        # A timestamp token's size is the server's: let pyHanko measure it then.
        bytes_reserved=None if timestamper else key.reserve,
    )
    return output.getvalue()


def sign_pdf(data: bytes, *, reason: str, location: str) -> bytes:
    """`data` (a whole PDF) with a PAdES signature appended; unchanged if no key is configured.

    `reason` and `location` are shown by PDF readers in the signature's details.
    """
    key = signing_key()
    if key is None:
        return data
    signed: bytes = outside_any_event_loop(_sign, data, key, reason=reason, location=location)
    return signed


def outside_any_event_loop(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Call one of pyHanko's synchronous functions, which start their own event loop: such a
    loop cannot nest in a running one (an async view, a test driving a browser), so the call
    then runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()
