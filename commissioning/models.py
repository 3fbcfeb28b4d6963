from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by the Celery heartbeat task; /healthz reports the last one so a stalled worker shows."""

    name = models.CharField(max_length=60, unique=True)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = "worker heartbeat"

    def __str__(self):
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M}"
