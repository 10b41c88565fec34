import time

import pytest
from django.core import signing
from django.core.cache import cache

from partners.forms import STARTED_SALT

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings, tmp_path):
    """Rate-limit counters live in the (shared) cache; uploads go to a scratch folder."""
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    cache.clear()


def shown_seconds_ago(seconds: float) -> str:
    """The form's signed 'shown at' token, as if the page was opened `seconds` ago."""
    return signing.dumps(time.time() - seconds, salt=STARTED_SALT)
