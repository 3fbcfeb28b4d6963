from django.db import migrations


def create_schedule(apps, schema_editor):
    """The reminder sweep runs hourly; each reminder still goes only once (ReminderSent claims it)."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.get_or_create(
        name="Growth bid reminders", defaults={"task": "growth_bids.sweep_reminders", "interval": every}
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name="Growth bid reminders").delete()


class Migration(migrations.Migration):
    dependencies = [("growth_bids", "0002_reference_data"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
