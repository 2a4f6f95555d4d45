"""`manage.py make_signing_key`: a self-signed key to sign the PDFs paradewi makes.

For the demo and for trying signatures out: a real deployment signs with the certificate the
Dinas holds (docs/documents.md, "Signatures"), which a PDF reader can trace to a trusted root.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from paradewi.regions.selectors import deployed_regency

VALID_YEARS = 5


def make_pkcs12(*, common_name: str, organisation: str, password: str) -> bytes:
    """A PKCS#12 file: a new RSA-2048 key and a self-signed certificate for document signing.

    Key usage digitalSignature and nonRepudiation (contentCommitment), as PDF signing expects;
    not a CA. Valid from yesterday (clocks differ) for VALID_YEARS years.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = timezone.now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        name=common_name.encode(),
        key=key,
        cert=certificate,
        cas=None,
        encryption_algorithm=BestAvailableEncryption(password.encode()),
    )


class Command(BaseCommand):
    help = (
        "Create a self-signed PKCS#12 key to sign receipts and generated forms "
        "(at SIGNING_PKCS12_PATH with SIGNING_PKCS12_PASSWORD unless --path/--password)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", help="Where to write the file (default: the setting).")
        parser.add_argument("--password", help="Its password (default: the setting).")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help=(
                "For `make run`: make the demo key only in demo mode and only when the file "
                "does not exist yet; otherwise do nothing."
            ),
        )
        parser.add_argument("--force", action="store_true", help="Replace an existing file.")

    def handle(self, *args: Any, **options: Any) -> None:
        path_text: str = options["path"] or settings.SIGNING_PKCS12_PATH
        password: str = (
            options["password"]
            if options["password"] is not None
            else settings.SIGNING_PKCS12_PASSWORD
        )
        if not path_text:
            if options["if_missing"]:
                self.stdout.write("No SIGNING_PKCS12_PATH configured: PDFs are not signed.")
                return
            raise CommandError("Set SIGNING_PKCS12_PATH or give --path.")
        if options["if_missing"] and not settings.DEMO_MODE:
            # A real deployment signs with the Dinas's own key; never make one up for it.
            self.stdout.write("Not in demo mode: no signing key is made.")
            return
        path = Path(path_text)
        if path.exists() and not options["force"]:
            if options["if_missing"]:
                self.stdout.write(f"Signing key kept: {path}")
                return
            raise CommandError(f"{path} exists; --force replaces it (old signatures stay valid).")
        if not password:
            raise CommandError("A PKCS#12 file needs a password: set SIGNING_PKCS12_PASSWORD.")
        try:
            regency = deployed_regency()
        except DatabaseError:  # before `migrate`: the code names the regency well enough
            regency = None
        regency_name = regency.name if regency is not None else settings.REGENCY_CODE
        data = make_pkcs12(
            common_name=f"paradewi demo signing key — {regency_name}",
            organisation=f"Dinas Kependudukan dan Pencatatan Sipil {regency_name}",
            password=password,
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written under a temporary name first, so a half-written key is never read.
        partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        partial.write_bytes(data)
        partial.chmod(0o600)
        partial.replace(path)
        self.stdout.write(f"Signing key created: {path} (self-signed, {VALID_YEARS} years).")
