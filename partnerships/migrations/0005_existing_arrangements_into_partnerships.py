"""Give every funding arrangement of the register its partnership: the one its funder belongs to."""

from django.db import migrations


def forwards(apps, schema_editor):
    Partnership = apps.get_model("core_groups", "Partnership")
    FundingArrangement = apps.get_model("partnerships", "FundingArrangement")

    for arrangement in FundingArrangement.objects.filter(partnership__isnull=True):
        partnership_id = (
            Partnership.objects.filter(organisations=arrangement.funder_id).order_by("pk").values_list("pk", flat=True).first()
        )
        if partnership_id is None:
            existing = Partnership.objects.order_by("pk").first()
            existing = existing or Partnership.objects.create(name="Default partnership", short_name="default")
            partnership_id = existing.pk
        arrangement.partnership_id = partnership_id
        arrangement.save(update_fields=["partnership"])


class Migration(migrations.Migration):
    dependencies = [
        ("core_groups", "0008_existing_data_into_partnerships"),
        ("partnerships", "0004_owned_by_partnership"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
