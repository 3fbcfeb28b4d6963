from django.db import migrations


def create_schedule(apps, schema_editor):
    """Beat records a heartbeat every five minutes, so /healthz shows a worker and beat that are alive."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Worker heartbeat",
        defaults={"task": "commissioning.heartbeat", "interval": every, "args": '["beat"]'},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name="Worker heartbeat").delete()


class Migration(migrations.Migration):
    dependencies = [("commissioning", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
