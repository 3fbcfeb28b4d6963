from django.db import migrations


def create_schedule(apps, schema_editor):
    """Every five minutes, renders whose worker died are marked failed so their reports can be retried."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Sweep stale report renders",
        defaults={"task": "commissioning.sweep_stale_renderings", "interval": every},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name="Sweep stale report renders").delete()


class Migration(migrations.Migration):
    dependencies = [("commissioning", "0003_board_reports"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
