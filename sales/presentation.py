"""How sales records are handed to a person: an appeal's evidence file as a download."""

from django.http import FileResponse

from sales.models import AppealEvidence


def evidence_response(evidence: AppealEvidence) -> FileResponse:
    """An evidence file as the type its bytes were found to be: images inline, PDFs as an
    attachment, under a name of ours (the caller has scoped it to what its user may see)."""
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=not evidence.is_image,
        filename=f"appeal-{evidence.appeal_id}-{evidence.pk}.{evidence.extension}",
        content_type=evidence.content_type,
    )
