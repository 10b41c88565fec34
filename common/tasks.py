from celery import shared_task
from django.conf import settings

from common.notifications.services import notification_email_send, robot_delivery_attempt
from common.services import worker_heartbeat_record


@shared_task(name="common.tasks.worker_heartbeat")
def worker_heartbeat() -> int:
    """Beat fires this every minute; /health/ shows when a worker last ran it."""
    return worker_heartbeat_record().pk


@shared_task(
    name="common.tasks.notification_email",
    autoretry_for=(OSError,),  # the mail server unreachable: later, with backoff
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=5,
)
def notification_email(user_id: int, key: str) -> bool:
    """notify queues this when a notification is committed; sends at most once."""
    return notification_email_send(user_id=user_id, key=key)


@shared_task(bind=True, name="common.tasks.robot_webhook_deliver")
def robot_webhook_deliver(self, delivery_id: int) -> str:
    """Post one group-robot message: ROBOT_WEBHOOK_ATTEMPTS attempts in all, the n-th retry
    after ROBOT_WEBHOOK_BACKOFF × 2ⁿ seconds (exponential backoff), then it is failed."""
    attempts = settings.ROBOT_WEBHOOK_ATTEMPTS
    outcome = robot_delivery_attempt(
        delivery_id=delivery_id, last=self.request.retries + 1 >= attempts
    )
    if outcome == "retry":
        countdown = settings.ROBOT_WEBHOOK_BACKOFF * 2**self.request.retries
        raise self.retry(countdown=countdown, max_retries=attempts - 1)
    return outcome
