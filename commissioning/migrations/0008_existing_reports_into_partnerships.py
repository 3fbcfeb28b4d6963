"""Give every board report its programme's partnership."""

from django.db import migrations


def forwards(apps, schema_editor):
    BoardReport = apps.get_model("commissioning", "BoardReport")
    for report in BoardReport.objects.select_related("programme"):
        report.partnership_id = report.programme.partnership_id
        report.save(update_fields=["partnership"])


class Migration(migrations.Migration):
    dependencies = [
        ("core_groups", "0008_existing_data_into_partnerships"),
        ("commissioning", "0007_owned_by_partnership"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
