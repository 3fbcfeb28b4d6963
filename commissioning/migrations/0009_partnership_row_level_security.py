"""Row-level security on every partnership-owned table (PostgreSQL only; nothing on SQLite). See foundation/rls.py."""

from django.db import migrations

from foundation import rls


def forwards(apps, schema_editor):
    rls.enable(schema_editor.connection)


def backwards(apps, schema_editor):
    rls.disable(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0008_existing_reports_into_partnerships"),
        ("core_groups", "0011_merge_allocation_version"),
        ("procurement", "0009_merge_partnerships_and_timetables"),
        ("growth_bids", "0008_bid_value_rules_on_the_model"),
        ("partnerships", "0005_existing_arrangements_into_partnerships"),
        ("review", "0002_return_reminder_schedule"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
