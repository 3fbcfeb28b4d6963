from django.db import migrations


def create_schedule(apps, schema_editor):
    """The return reminder sweep runs daily at 07:15 Europe/London; administrators change it in admin."""
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    quarter_past_seven, _ = Crontab.objects.get_or_create(
        minute="15", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/London"
    )
    PeriodicTask.objects.get_or_create(
        name="Review: return reminders",
        defaults={"task": "review.sweep_return_reminders", "crontab": quarter_past_seven},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name="Review: return reminders").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_measures_returns_meetings_events"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
