"""Uploaded files whose type is read from their bytes (magic numbers), never from the name or
the browser's word alone: an image (JPEG, PNG, GIF, WebP) or a PDF, within a size limit, with a
file name whose extension agrees with what the bytes are."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# content type → the extensions a file of that type may carry.
EXTENSIONS = {
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "application/pdf": ("pdf",),
}
HEAD_BYTES = 16


@dataclass(frozen=True)
class SniffedFile:
    content_type: str
    size: int
    name: str


def sniff_content_type(head: bytes) -> str | None:
    """The type the first bytes of a file announce, or None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def sniff_upload(upload, *, max_bytes: int) -> SniffedFile:
    """Accept an image or PDF of at most `max_bytes` whose name's extension matches its bytes;
    anything else is a ValidationError saying what to upload instead."""
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][-120:]
    size = getattr(upload, "size", None) or 0
    if size > max_bytes:
        raise ValidationError(
            _("%(name)s is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"name": name, "size": size / 1024 / 1024, "limit": max_bytes / 1024 / 1024},
            code="file_size",
        )
    if size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError(
            _("%(name)s is not an image (JPEG, PNG, GIF, WebP) or a PDF.") % {"name": name},
            code="file_type",
        )
    if _extension(name) not in EXTENSIONS[content_type]:
        raise ValidationError(
            _("%(name)s does not match its content (%(type)s): rename it or upload the original.")
            % {"name": name, "type": content_type},
            code="file_renamed",
        )
    return SniffedFile(content_type=content_type, size=size, name=name)
