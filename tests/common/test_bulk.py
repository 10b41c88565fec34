from datetime import datetime

import pytest

from common.bulk import insert_rows
from common.models import JobRun
from common.periods import SHANGHAI

pytestmark = pytest.mark.django_db


def test_copy_round_trips_awkward_text_and_nulls():
    at = datetime(2026, 11, 1, 2, tzinfo=SHANGHAI)
    messages = ["tab\there", "new\nline", "back\\slash \\N", "", "中文，退房"]
    count = insert_rows(
        JobRun,
        ("name", "key", "status", "started_at", "finished_at", "message", "facts"),
        [("bulk", str(n), "succeeded", at, None, text, {}) for n, text in enumerate(messages)],
    )
    assert count == len(messages)
    stored = list(
        JobRun.objects.filter(name="bulk")
        .order_by("key")
        .values_list("message", "finished_at", "started_at")
    )
    assert [row[0] for row in stored] == messages
    assert all(row[1] is None and row[2] == at for row in stored)
