from django.db import migrations


def create_schedule(apps, schema_editor):
    """The reminder sweep runs daily at 07:00 Europe/London; administrators change it in admin."""
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    Settings = apps.get_model("procurement", "ReminderSettings")
    seven, _ = Crontab.objects.get_or_create(
        minute="0", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/London"
    )
    PeriodicTask.objects.get_or_create(
        name="Procurement deadline reminders",
        defaults={"task": "procurement.sweep_reminders", "crontab": seven},
    )
    if not Settings.objects.exists():
        Settings.objects.create(first_notice_days=7, final_notice_days=1, overdue_every_days=7)


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name="Procurement deadline reminders").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0002_templates"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
