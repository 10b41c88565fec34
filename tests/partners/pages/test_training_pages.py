"""Trainings on portal pages: the list, planning and editing a session, inviting active
partners, and one sheet recording every invitee's attendance and score."""

from datetime import timedelta

import pytest
from django.urls import reverse

from common.models import AuditEntry
from common.periods import local_today
from partners.choices import PartnerStatus
from partners.models import TrainingAttendance, TrainingSession
from tests.api_base import list_query_count
from tests.factories.org import PartnerFactory
from tests.factories.partners import TrainingAttendanceFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

LIST = reverse("partners:training-list")
CREATE = reverse("partners:training-create")


def session_data(**overrides) -> dict:
    return {
        "topic": "competition",
        "title": "竞品分析专场",
        "held_on": (local_today() + timedelta(days=7)).isoformat(),
        "location": "售楼处二楼",
        "trainer": "刘总",
        "notes": "",
        **overrides,
    }


def test_planning_a_session_invites_the_ticked_active_partners(manager):
    a, b = PartnerFactory(name="甲"), PartnerFactory(name="乙")
    prospect = PartnerFactory(status=PartnerStatus.PROSPECT)
    offered = manager.get(CREATE).context["form"].fields["partners"].queryset
    assert set(offered) == {a, b}  # active partners only
    response = manager.post(CREATE, {**session_data(), "partners": [a.pk, b.pk]})
    assert response.status_code == 302
    session = TrainingSession.objects.get()
    assert (session.topic, session.title, session.trainer) == (
        "competition",
        "竞品分析专场",
        "刘总",
    )
    assert session.created_by == manager.user
    assert set(session.attendances.values_list("partner", flat=True)) == {a.pk, b.pk}
    refused = manager.post(CREATE, {**session_data(title="x"), "partners": [prospect.pk]})
    assert refused.status_code == 400 and "partners" in refused.context["form"].errors
    assert TrainingSession.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"topic": ""}, "topic"), ({"topic": "cooking"}, "topic"), ({"held_on": "31/12"}, "held_on")],
)
def test_bad_session_input_is_a_field_error(manager, overrides, field):
    response = manager.post(CREATE, session_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not TrainingSession.objects.exists()


def test_editing_a_session(manager):
    session = TrainingSessionFactory(title="旧标题")
    edit = reverse("partners:training-edit", args=[session.pk])
    assert manager.get(edit).context["form"]["title"].value() == "旧标题"
    assert manager.post(edit, session_data(title="新标题")).status_code == 302
    session.refresh_from_db()
    assert (session.title, session.topic) == ("新标题", "competition")
    bad = manager.post(edit, session_data(held_on=""))
    assert bad.status_code == 400 and "held_on" in bad.context["form"].errors
    session.refresh_from_db()
    assert session.title == "新标题"


def test_inviting_more_partners_offers_only_those_not_invited(manager):
    session = TrainingSessionFactory()
    invited, other = PartnerFactory(), PartnerFactory()
    TrainingAttendanceFactory(session=session, partner=invited)
    PartnerFactory(status=PartnerStatus.TERMINATED)
    detail = reverse("partners:training-detail", args=[session.pk])
    offered = manager.get(detail).context["invite_form"].fields["partners"].queryset
    assert list(offered) == [other]
    invite = reverse("partners:training-invite", args=[session.pk])
    empty = manager.post(invite, {})
    assert empty.status_code == 400 and "partners" in empty.context["invite_form"].errors
    again = manager.post(invite, {"partners": [invited.pk]})  # not offered: a field error
    assert again.status_code == 400
    assert manager.post(invite, {"partners": [other.pk]}).status_code == 302
    assert set(session.attendances.values_list("partner", flat=True)) == {invited.pk, other.pk}


def _sheet(session, rows: dict) -> dict:
    """The attendance form's POST: every invitee's row, changed as `rows` says."""
    data = {}
    for attendance in session.attendances.all():
        values = {
            "attended": attendance.attended,
            "score": attendance.score,
            "notes": attendance.notes,
        }
        values.update(rows.get(attendance.partner_id, {}))
        prefix = f"a{attendance.pk}"
        if values["attended"]:
            data[f"{prefix}-attended"] = "on"
        data[f"{prefix}-score"] = "" if values["score"] is None else str(values["score"])
        data[f"{prefix}-notes"] = values["notes"]
    return data


def test_one_sheet_records_every_invitees_attendance_and_score(manager):
    session = TrainingSessionFactory()
    a, b, c = PartnerFactory(), PartnerFactory(), PartnerFactory()
    for partner in (a, b, c):
        TrainingAttendanceFactory(session=session, partner=partner)
    detail = reverse("partners:training-detail", args=[session.pk])
    assert len(manager.get(detail).context["rows"]) == 3
    url = reverse("partners:training-attendance", args=[session.pk])
    data = _sheet(
        session, {a.pk: {"attended": True, "score": 88, "notes": "优秀"}, b.pk: {"attended": True}}
    )
    assert manager.post(url, data).status_code == 302
    stored = {
        row.partner_id: (row.attended, row.score, row.notes)
        for row in TrainingAttendance.objects.filter(session=session)
    }
    assert stored == {a.pk: (True, 88, "优秀"), b.pk: (True, None, ""), c.pk: (False, None, "")}
    # Only the rows that changed were recorded (and audited).
    assert AuditEntry.objects.filter(action="training.attendance_recorded").count() == 2


@pytest.mark.parametrize(
    "bad",
    [{"attended": False, "score": 70}, {"attended": True, "score": 101}, {"score": "x"}],
    ids=["score-without-attendance", "over-100", "not-a-number"],
)
def test_one_bad_row_is_a_field_error_and_stores_no_row(manager, bad):
    session = TrainingSessionFactory()
    good, wrong = PartnerFactory(), PartnerFactory()
    TrainingAttendanceFactory(session=session, partner=good)
    TrainingAttendanceFactory(session=session, partner=wrong)
    url = reverse("partners:training-attendance", args=[session.pk])
    data = _sheet(session, {good.pk: {"attended": True, "score": 90}, wrong.pk: bad})
    response = manager.post(url, data)
    assert response.status_code == 400
    forms = {attendance.partner_id: form for attendance, form in response.context["rows"]}
    assert "score" in forms[wrong.pk].errors
    assert not forms[good.pk].errors
    assert not TrainingAttendance.objects.filter(attended=True).exists()
    assert not AuditEntry.objects.filter(action="training.attendance_recorded").exists()


def test_the_list_shows_counts_and_filters_by_invited_partner(manager):
    session = TrainingSessionFactory(title="产品培训")
    partner = PartnerFactory()
    TrainingAttendanceFactory(session=session, partner=partner, attended=True, score=80)
    TrainingAttendanceFactory(session=session)
    TrainingSessionFactory(title="别的培训")
    response = manager.get(LIST)
    rows = {row.record.title: row.record for row in response.context["listing"].table.rows}
    assert (rows["产品培训"].invited_count, rows["产品培训"].attended_count) == (2, 1)
    filtered = manager.get(LIST, {"partner": partner.pk}).context["listing"]
    assert [row.record.pk for row in filtered.table.rows] == [session.pk]


def test_the_list_query_count_does_not_grow_with_rows(manager):
    def add(n):
        for _ in range(n):
            TrainingAttendanceFactory(session=TrainingSessionFactory())

    add(2)
    few = list_query_count(manager, LIST)
    add(20)
    assert list_query_count(manager, LIST) == few


def test_the_attendance_page_query_count_does_not_grow_with_invitees(manager):
    session = TrainingSessionFactory()
    detail = reverse("partners:training-detail", args=[session.pk])

    def add(n):
        for _ in range(n):
            TrainingAttendanceFactory(session=session)

    add(2)
    few = list_query_count(manager, detail)
    add(20)
    assert list_query_count(manager, detail) == few
