"""The daily contract job on a real worker: sent twice at once, it reminds once."""

from datetime import timedelta

import pytest

from common.periods import local_today
from partners.choices import ContractStatus
from partners.models import ContractReminder
from partners.tasks import contract_expiry_reminders
from tests.factories.org import PartnerFactory
from tests.factories.partners import PartnerContractFactory
from tests.helpers import wait_for

pytestmark = [pytest.mark.jobs, pytest.mark.django_db(transaction=True)]

TASK = "partners.tasks.contract_expiry_reminders"


def test_two_runs_on_the_worker_send_one_reminder(celery_worker_process):
    contract = PartnerContractFactory(
        partner=PartnerFactory(contact_email="contact@partner.example"),
        status=ContractStatus.ACTIVE,
        end_on=local_today() + timedelta(days=30),
    )
    log = celery_worker_process.log_path

    def finished_runs() -> int:
        lines = log.read_text().splitlines()
        return sum(1 for line in lines if f"Task {TASK}[" in line and "succeeded" in line)

    done_before = finished_runs()
    contract_expiry_reminders.delay()
    contract_expiry_reminders.delay()

    def both_finished():
        return finished_runs() >= done_before + 2

    wait_for(both_finished)
    reminder = ContractReminder.objects.get(contract=contract)
    assert reminder.threshold == 30
