"""E-mails to partners and managers, rendered from templates in the recipient's language."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def send_templated_mail(
    *,
    template: str,
    context: dict,
    to: list[str],
    bcc: list[str] | None = None,
    language: str = "",
) -> None:
    """Render `partners/email/<template>_subject.txt` and `_body.txt` and send one message."""
    to = [address for address in to if address]
    bcc = [address for address in (bcc or []) if address and address not in to]
    if not to and not bcc:
        logger.info("mail %s not sent: nobody to send it to", template)
        return
    if not to:
        to, bcc = bcc, []
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"partners/email/{template}_subject.txt", context)
        body = render_to_string(f"partners/email/{template}_body.txt", context)
    EmailMessage(" ".join(subject.split()), body, to=to, bcc=bcc).send()
    logger.info("mail %s sent to %d recipient(s)", template, len(to) + len(bcc))
