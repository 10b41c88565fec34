from celery import shared_task

from common.services import worker_heartbeat_record


@shared_task(name="common.tasks.worker_heartbeat")
def worker_heartbeat() -> int:
    """Beat fires this every minute; /health/ shows when a worker last ran it."""
    return worker_heartbeat_record().pk
