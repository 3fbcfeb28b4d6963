from django.db import migrations

NAME = "Outbox dispatcher"


def create_schedule(apps, schema_editor):
    """Every minute beat asks a worker to send what the outbox holds: what a nudge after commit could not
    hand over (the broker was down), and the retries whose backoff has passed."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": "foundation.dispatch_outbox", "interval": every})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("foundation", "0001_outbox"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
