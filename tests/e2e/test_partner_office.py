"""In the browser, at desktop size: a manager opens a waiting application from the board,
screens it on the three weighted criteria, approves it (the partner is created and invited)
and drafts a contract for the new partner with the signed PDF; then activates it. Every step
is checked against what was stored."""

from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from common.periods import local_today
from common.roles import Role
from partners.choices import ApplicationStatus, ContractStatus, PartnerStatus
from partners.models import PartnerApplication, PartnerContract, PartnerInvite
from tests.e2e.helpers import fits_the_screen, shot, sign_in
from tests.factories.partners import PartnerApplicationFactory
from tests.helpers import PDF_BYTES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_screens_approves_and_contracts_a_new_partner(
    live_server, page, make_login, tmp_path
):
    application = PartnerApplicationFactory(
        company_name="津门置业代理", contact_email="li@jinmen.example"
    )
    make_login(Role.MANAGER, username="jingli")
    sign_in(page, live_server, "jingli", "/partners/applications/")

    page.get_by_test_id(f"card-{application.pk}").get_by_test_id("open-application").click()
    expect(page.get_by_test_id("application-name")).to_have_text("津门置业代理")
    expect(page.get_by_test_id("not-screened")).to_be_visible()
    shot(page, "application")

    # Screening: 4 / 3 / 5 on the default weights 40 / 30 / 30 → 4.00, passed.
    page.get_by_test_id("score-score_region").get_by_label("4").check()
    page.get_by_test_id("score-score_track_record").get_by_label("3").check()
    page.get_by_test_id("score-score_reputation").get_by_label("5").check()
    page.locator("textarea[name=notes]").fill("团队稳定，区域互补")
    page.get_by_test_id("screen").click()
    expect(page.get_by_test_id("screening-result")).to_contain_text("4.00")
    expect(page.get_by_test_id("screening-passed")).to_be_visible()
    shot(page, "screened")
    application.refresh_from_db()
    assert (application.status, application.weighted_score, application.is_passed) == (
        ApplicationStatus.SCREENING,
        Decimal("4.00"),
        True,
    )
    assert application.screening_notes == "团队稳定，区域互补"

    # Approval: the partner is created and its contact invited.
    page.locator("select[name=credit_rating]").select_option("A")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("approved")).to_be_visible()
    expect(page.get_by_test_id("invite-result")).to_contain_text("li@jinmen.example")
    shot(page, "approved")
    application.refresh_from_db()
    partner = application.partner
    assert application.status == ApplicationStatus.APPROVED
    assert (partner.name, partner.status, partner.credit_rating) == (
        "津门置业代理",
        PartnerStatus.ACTIVE,
        "A",
    )
    assert PartnerInvite.objects.filter(partner=partner, email="li@jinmen.example").count() == 1

    # A contract for the new partner, with the signed PDF.
    page.get_by_test_id("draft-contract").click()
    expect(page.locator("select[name=partner]")).to_have_value(str(partner.pk))
    shot(page, "contract-form")
    today = local_today()
    page.locator("input[name=code]").fill("QD-2026-077")
    page.locator("select[name=fee_mode]").select_option("percent")
    page.locator("input[name=fee_value]").fill("1.5")
    page.locator("select[name=fee_milestone]").select_option("down_payment")
    page.locator("input[name=start_on]").fill(today.isoformat())
    page.locator("input[name=end_on]").fill((today + timedelta(days=364)).isoformat())
    page.locator("textarea[name=scope]").fill("代理销售本项目高层住宅")
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(PDF_BYTES)
    page.locator("input[name=signed_pdf]").set_input_files(str(signed))
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("contract-status")).to_have_text("Draft")
    expect(page.get_by_test_id("contract-fee")).to_contain_text("1.50% of the signed amount")
    contract = PartnerContract.objects.get(partner=partner)
    assert (contract.code, contract.fee_mode, contract.fee_value, contract.fee_milestone) == (
        "QD-2026-077",
        "percent",
        Decimal("1.50"),
        "down_payment",
    )
    assert (contract.start_on, contract.end_on) == (today, today + timedelta(days=364))
    assert contract.scope == "代理销售本项目高层住宅"
    assert contract.signed_pdf.read() == PDF_BYTES

    page.get_by_test_id("activate").click()
    expect(page.get_by_test_id("contract-status")).to_have_text("Active")
    shot(page, "contract-active")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE
    with page.expect_download() as download:
        page.get_by_test_id("contract-pdf").click()
    assert download.value.path().read_bytes() == PDF_BYTES
    assert PartnerApplication.objects.count() == 1


def test_the_office_pages_fit_a_phone(live_server, phone_page, make_login):
    """Every page of the section at 390 px: nothing wider than the screen (tables scroll in
    their own box), the main action on the first screen of the lists."""
    from tests.factories.org import PartnerFactory
    from tests.factories.partners import PartnerContractFactory, TrainingAttendanceFactory

    application = PartnerApplicationFactory(company_name="很长名字的房地产经纪代理有限责任公司")
    partner = PartnerFactory(name="津门置业代理有限公司")
    contract = PartnerContractFactory(partner=partner, status=ContractStatus.ACTIVE)
    attendance = TrainingAttendanceFactory(partner=partner, attended=True, score=90)
    TrainingAttendanceFactory(session=attendance.session)
    make_login(Role.SUPERVISOR, username="zhuguan")
    page = phone_page
    sign_in(page, live_server, "zhuguan", "/partners/")
    for url in (
        "/partners/",
        f"/partners/{partner.pk}/",
        "/partners/applications/",
        f"/partners/applications/{application.pk}/",
        "/partners/contracts/",
        "/partners/contracts/new/",
        f"/partners/contracts/{contract.pk}/",
        "/partners/trainings/",
        "/partners/trainings/new/",
        f"/partners/trainings/{attendance.session.pk}/",
    ):
        page.goto(f"{live_server.url}{url}")
        fits_the_screen(page)
        shot(page, "phone" + url.replace("/", "-"))
    page.goto(f"{live_server.url}/partners/contracts/")
    expect(page.get_by_test_id("new-contract")).to_be_in_viewport()
