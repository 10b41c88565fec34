"""统一社会信用代码 (unified social credit code, GB 32100-2015) validation."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(body: str) -> str:
    """The 18th (check) character for the first 17 characters of a credit code."""
    total = sum(
        CREDIT_CODE_CHARSET.index(char) * weight
        for char, weight in zip(body, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def normalise_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_credit_code(value: str) -> None:
    """Refuse a code that is not 18 characters of the GB 32100 set with a matching check."""
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d.")
            % {"n": len(code)},
            code="length",
        )
    bad = [char for char in code if char not in CREDIT_CODE_CHARSET]
    if bad:
        raise ValidationError(
            _("'%(char)s' cannot appear in a unified social credit code.") % {"char": bad[0]},
            code="charset",
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character does not match: please re-check the code."), code="checksum"
        )


def clean_credit_code(value: str) -> str:
    """Normalise (strip, upper-case) and validate a credit code; empty stays empty."""
    code = normalise_credit_code(value)
    if code:
        validate_credit_code(code)
    return code


PDF_CONTENT_TYPES = ("application/pdf", "application/x-pdf")
PDF_MAGIC = b"%PDF-"


def validate_pdf_upload(upload, *, max_bytes: int) -> None:
    """Accept only a real PDF: declared as one, starting with `%PDF-`, at most `max_bytes`."""
    size = getattr(upload, "size", None) or 0
    if size > max_bytes:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"size": size / 1024 / 1024, "limit": max_bytes / 1024 / 1024},
            code="file_size",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if content_type not in PDF_CONTENT_TYPES:
        raise ValidationError(
            _("Upload the signed contract as a PDF file (this one is %(type)s).")
            % {"type": content_type or _("of unknown type")},
            code="content_type",
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(
            _("This file is not a PDF document, whatever its name says."), code="not_pdf"
        )
