"""In the browser, at desktop and phone size: a manager plans a training session, inviting two
of the active partners, then records who came and their scores on the session's attendance
sheet — a score out of range is refused on its field and stores nothing. Every step is checked
against what was stored."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from common.models import AuditEntry
from common.periods import local_today
from common.roles import Role
from partners.choices import PartnerStatus
from partners.models import TrainingAttendance, TrainingSession
from tests.e2e.helpers import fits_the_screen, sign_in
from tests.factories.org import PartnerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sheet_row(page, partner_name: str):
    return page.locator(f'[data-testid=attendance-row][data-partner="{partner_name}"]')


def stored_attendance(session) -> dict[str, tuple]:
    return {
        a.partner.name: (a.attended, a.score, a.notes)
        for a in TrainingAttendance.objects.filter(session=session).select_related("partner")
    }


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_manager_plans_a_training_invites_two_partners_and_records_scores(
    live_server, request, make_login, size
):
    page = request.getfixturevalue("phone_page" if size == "phone" else "page")
    jinmen = PartnerFactory(name="津门置业代理")
    lianjia = PartnerFactory(name="链家示例代理")
    PartnerFactory(name="未邀请的代理")  # active, left out of this session
    PartnerFactory(name="已暂停的代理", status=PartnerStatus.SUSPENDED)
    manager = make_login(Role.MANAGER, username="jingli")
    sign_in(page, live_server, "jingli", "/partners/")
    page.locator('a[href="/partners/trainings/"]').first.click()  # the section's tab
    page.wait_for_url(f"{live_server.url}/partners/trainings/")
    fits_the_screen(page)

    # Plan the session and invite two of the three active partners (the suspended one is
    # not offered).
    page.get_by_test_id("new-training").click()
    picks = page.get_by_test_id("invite-partners")
    expect(picks.locator("input[type=checkbox]")).to_have_count(3)
    expect(picks).not_to_contain_text("已暂停的代理")
    held_on = local_today() + timedelta(days=7)
    page.locator("select[name=topic]").select_option("competition")
    page.locator("input[name=title]").fill("竞品分析与销售策略")
    page.locator("input[name=held_on]").fill(held_on.isoformat())
    page.locator("input[name=location]").fill("锦绣华庭售楼处二楼")
    page.locator("input[name=trainer]").fill("王经理")
    picks.get_by_label("津门置业代理").check()
    picks.get_by_label("链家示例代理").check()
    fits_the_screen(page)
    page.get_by_test_id("save").click()

    expect(page.get_by_test_id("training-title")).to_have_text("竞品分析与销售策略")
    expect(page.get_by_test_id("attendance-row")).to_have_count(2)
    session = TrainingSession.objects.get()
    assert page.url == f"{live_server.url}/partners/trainings/{session.pk}/"
    assert (session.topic, session.title, session.held_on) == (
        "competition",
        "竞品分析与销售策略",
        held_on,
    )
    assert (session.location, session.trainer, session.created_by) == (
        "锦绣华庭售楼处二楼",
        "王经理",
        manager,
    )
    assert stored_attendance(session) == {
        "津门置业代理": (False, None, ""),
        "链家示例代理": (False, None, ""),
    }
    # The one active partner not invited yet is offered on the session's page.
    invite = page.get_by_test_id("invite-form")
    expect(invite.locator("input[type=checkbox]")).to_have_count(1)
    expect(invite).to_contain_text("未邀请的代理")
    fits_the_screen(page)

    # A score of 101 is refused on its row's field; the sheet stores nothing, not even the
    # good row.
    first, second = sheet_row(page, "津门置业代理"), sheet_row(page, "链家示例代理")
    first.locator("input[name$=-attended]").check()
    first.locator("input[name$=-score]").fill("88")
    first.locator("input[name$=-notes]").fill("表现积极")
    second.locator("input[name$=-attended]").check()
    second.locator("input[name$=-score]").fill("101")
    page.get_by_test_id("save-attendance").click()
    expect(second.get_by_test_id("error-score")).to_be_visible()
    expect(first.get_by_test_id("error-score")).to_have_count(0)
    expect(second.locator("input[name$=-score]")).to_have_value("101")  # kept to correct
    expect(first.locator("input[name$=-score]")).to_have_value("88")
    assert stored_attendance(session) == {
        "津门置业代理": (False, None, ""),
        "链家示例代理": (False, None, ""),
    }
    assert not AuditEntry.objects.filter(action="training.attendance_recorded").exists()
    fits_the_screen(page)

    # Corrected: the second partner did not come after all, so it has no score.
    second.locator("input[name$=-attended]").uncheck()
    second.locator("input[name$=-score]").fill("")
    page.get_by_test_id("save-attendance").click()
    expect(page.locator("article.message")).to_be_visible()
    expect(page.get_by_test_id("error-score")).to_have_count(0)
    expect(first.locator("input[name$=-attended]")).to_be_checked()
    expect(first.locator("input[name$=-score]")).to_have_value("88")
    expect(second.locator("input[name$=-attended]")).not_to_be_checked()
    assert stored_attendance(session) == {
        "津门置业代理": (True, 88, "表现积极"),
        "链家示例代理": (False, None, ""),
    }
    recorded = AuditEntry.objects.filter(action="training.attendance_recorded")
    assert [entry.actor for entry in recorded] == [manager]  # only the row that changed

    assert set(session.attendances.values_list("partner_id", flat=True)) == {
        jinmen.pk,
        lianjia.pk,
    }
    # The list shows the session.
    page.locator('a[href="/partners/trainings/"]').first.click()
    expect(page.get_by_text("竞品分析与销售策略")).to_be_visible()
