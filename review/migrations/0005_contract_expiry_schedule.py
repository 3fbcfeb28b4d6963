from django.db import migrations


def create_schedule(apps, schema_editor):
    """The contract expiry sweep runs daily at 07:20 Europe/London; administrators change it in admin."""
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    twenty_past_seven, _ = Crontab.objects.get_or_create(
        minute="20", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/London"
    )
    PeriodicTask.objects.get_or_create(
        name="Review: contract expiry alerts",
        defaults={"task": "review.sweep_contract_expiry", "crontab": twenty_past_seven},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name="Review: contract expiry alerts").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0004_contracts_register"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
