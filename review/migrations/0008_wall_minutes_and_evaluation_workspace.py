from django.db import migrations

from foundation import rls


def wall(apps, schema_editor):
    # Minute items walled through their meeting; half-done evaluations and evaluator assignments through their bid
    # (foundation/rls.py CHILD_TABLES).
    rls.enable(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0007_meeting_minute_items_and_decisions"),
        ("growth_bids", "0009_bid_sections_and_evaluation_workspace"),
    ]

    operations = [migrations.RunPython(wall, migrations.RunPython.noop)]
