"""PDFs signed for the tests by pyHanko, with certificates generated here (as a Dinas's TTE
would sign an issued document)."""

from __future__ import annotations

import io
from functools import cache

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.signers import SimpleSigner

from paradewi.core.signing import outside_any_event_loop
from paradewi.documents.management.commands.make_signing_key import make_pkcs12

PASSWORD = b"test-dinas-tte"
SIGNER = "Kepala Dinas Uji"


@cache
def dinas_p12() -> bytes:
    """The test Dinas's key and certificate (made once per process: RSA takes a moment)."""
    return make_pkcs12(common_name=SIGNER, organisation="Dinas uji", password=PASSWORD.decode())


def signed(data: bytes, p12: bytes | None = None, password: bytes = PASSWORD) -> bytes:
    """`data` signed by pyHanko (an approval signature, PAdES) with the key in `p12`."""
    signer = SimpleSigner.load_pkcs12_data(p12 or dinas_p12(), other_certs=(), passphrase=password)
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    out = outside_any_event_loop(
        signers.sign_pdf,
        writer,
        signers.PdfSignatureMetadata(field_name="TTE", subfilter=None),
        signer=signer,
    )
    result = out.getvalue()
    assert isinstance(result, bytes)
    return result
