from datetime import date

from celery import shared_task

from partners.services import contract_expiry_reminders_run


@shared_task(name="partners.tasks.contract_expiry_reminders")
def contract_expiry_reminders(today: str | None = None) -> dict[str, int]:
    """Beat fires this daily at 07:30 (Asia/Shanghai); `today` (ISO date) is for re-runs."""
    return contract_expiry_reminders_run(today=date.fromisoformat(today) if today else None)
