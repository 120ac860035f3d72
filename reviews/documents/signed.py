"""What a signed copy's PDF holds: checked to be a PDF we can read (not encrypted, not too
large), and what pyHanko reads of its embedded digital signatures: the signer's name, the
signing time, and whether the document is unchanged since signing. No trust chain is checked:
the agencies' own document systems do that."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

PDF_MAGIC = b"%PDF-"


class NotAReadablePdf(Exception):
    """The upload is refused; `message` says why (in the active language)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class SignatureReading:
    signer: str
    signed_at: str  # ISO 8601, as the signer's software reported it; "" if it did not
    intact: bool  # the signed bytes match the signature
    unchanged: bool  # intact, and nothing was added to the file after signing

    def as_dict(self) -> dict:
        return {
            "signer": self.signer,
            "signed_at": self.signed_at,
            "intact": self.intact,
            "unchanged": self.unchanged,
        }


def max_bytes() -> int:
    return settings.SIGNED_COPY_MAX_MB * 1024 * 1024


def too_large() -> NotAReadablePdf:
    return NotAReadablePdf(
        _("The file is larger than %(size)s MB.") % {"size": settings.SIGNED_COPY_MAX_MB}
    )


def _signer_name(certificate) -> str:
    subject = certificate.subject.native
    return subject.get("common_name") or certificate.subject.human_friendly


def _reading(signature) -> SignatureReading:
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        intact, valid = validate_sig_integrity(
            signature.signer_info,
            signature.signer_cert,
            expected_content_type="data",
            actual_digest=signature.compute_digest(),
        )
        signature.compute_integrity_info(skip_diff=True)  # no diff policy: coverage will do
    except Exception:  # a damaged signature reads as not intact, and the copy is kept
        intact = valid = False
    timestamp = signature.self_reported_timestamp
    return SignatureReading(
        signer=_signer_name(signature.signer_cert),
        signed_at=timestamp.isoformat() if timestamp else "",
        intact=bool(intact and valid),
        unchanged=bool(intact and valid)
        and getattr(signature, "coverage", None) == SignatureCoverageLevel.ENTIRE_FILE,
    )


def read_signed_copy(data: bytes) -> list[dict]:
    """The embedded signatures of a signed copy (none for a scan), or NotAReadablePdf."""
    if len(data) > max_bytes():
        raise too_large()
    if not data.startswith(PDF_MAGIC):
        raise NotAReadablePdf(_("The file is not a PDF."))
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise NotAReadablePdf(
                _("The PDF is encrypted: upload a copy without a password or restrictions.")
            )
        reader.root  # noqa: B018 (reads the catalogue: a broken file fails here)
        signatures = list(reader.embedded_signatures)
    except NotAReadablePdf:
        raise
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as error:
        raise NotAReadablePdf(_("The file is not a PDF that can be read.")) from error
    return [_reading(signature).as_dict() for signature in signatures]
