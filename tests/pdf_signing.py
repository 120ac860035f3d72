"""PDFs for the signed-copy tests: a one-page PDF, the same signed with pyHanko by a
self-signed certificate made here (cryptography), encrypted, or changed after signing."""

import datetime
import io

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import PdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore


def plain_pdf(text: str = "BAO CAO", password: str = "") -> bytes:
    writer = PdfFileWriter()
    content = generic.StreamObject(stream_data=f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    page = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Page"),
            generic.pdf_name("/MediaBox"): generic.ArrayObject(
                [generic.NumberObject(n) for n in (0, 0, 595, 842)]
            ),
            generic.pdf_name("/Contents"): writer.add_object(content),
            generic.pdf_name("/Resources"): generic.DictionaryObject(),
        }
    )
    writer.insert_page(page)
    if password:
        writer.encrypt(password, password)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def self_signed_signer(common_name: str) -> signers.SimpleSigner:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(
            certificate.public_bytes(serialization.Encoding.DER)
        ),
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore(),
    )


def signed_pdf(common_name: str = "Trần Minh Đức", pdf: bytes | None = None) -> bytes:
    output = io.BytesIO()
    signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf or plain_pdf())),
        signers.PdfSignatureMetadata(field_name="Signature1"),
        signer=self_signed_signer(common_name),
        output=output,
    )
    return output.getvalue()


def changed_after_signing(pdf: bytes) -> bytes:
    """A revision appended after the signature (the signed bytes stay intact)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.root["/Lang"] = generic.TextStringObject("vi")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def encrypted_pdf() -> bytes:
    return plain_pdf(password="secret")
