from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task(name="commissioning.heartbeat")
def heartbeat(name="worker"):
    """Record that a worker ran a task just now. Beat schedules it; /healthz and the tests read it."""
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})
    return name


@shared_task(name="commissioning.sweep_stale_renderings")
def sweep_stale_renderings():
    """Mark renders whose worker died as failed, so their reports can be retried."""
    from .reports.services import rendering_sweep_stale

    return rendering_sweep_stale()
