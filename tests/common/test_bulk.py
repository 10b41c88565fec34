from datetime import datetime

import pytest

from common.bulk import delete_rows, insert_rows, update_rows
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


def test_update_rows_sets_only_the_given_rows_and_fields():
    at = datetime(2026, 11, 1, 2, tzinfo=SHANGHAI)
    insert_rows(
        JobRun,
        ("name", "key", "status", "started_at", "message", "facts"),
        [("bulk", str(n), "running", at, f"m{n}", {"n": n}) for n in range(4)],
    )
    runs = dict(JobRun.objects.filter(name="bulk").values_list("key", "pk"))
    count = update_rows(
        JobRun,
        ("status", "message", "facts", "finished_at"),
        [
            (runs["1"], "failed", "tab\there", {"n": "一"}, at),
            (runs["2"], "succeeded", "", {}, None),
        ],
    )
    assert count == 2
    assert update_rows(JobRun, ("status",), []) == 0
    stored = {
        key: (status, message, facts, finished)
        for key, status, message, facts, finished in JobRun.objects.filter(name="bulk").values_list(
            "key", "status", "message", "facts", "finished_at"
        )
    }
    assert stored == {
        "0": ("running", "m0", {"n": 0}, None),
        "1": ("failed", "tab\there", {"n": "一"}, at),
        "2": ("succeeded", "", {}, None),
        "3": ("running", "m3", {"n": 3}, None),
    }


def test_delete_rows_deletes_exactly_the_given_ids():
    at = datetime(2026, 11, 1, 2, tzinfo=SHANGHAI)
    insert_rows(
        JobRun,
        ("name", "key", "status", "started_at", "message", "facts"),
        [("bulk", str(n), "running", at, "", {}) for n in range(5)],
    )
    runs = dict(JobRun.objects.filter(name="bulk").values_list("key", "pk"))
    assert delete_rows(JobRun, [runs["1"], runs["3"]]) == 2
    assert delete_rows(JobRun, []) == 0
    assert sorted(JobRun.objects.filter(name="bulk").values_list("key", flat=True)) == [
        "0",
        "2",
        "4",
    ]
