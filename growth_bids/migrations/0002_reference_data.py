from django.db import migrations


def load(apps, schema_editor):
    from growth_bids.defaults import CLIENT_GROUPS, KENT_DISTRICTS, OUTCOMES

    for model_name, names in (("ClientGroup", CLIENT_GROUPS), ("District", KENT_DISTRICTS), ("Outcome", OUTCOMES)):
        model = apps.get_model("growth_bids", model_name)
        for name in names:
            model.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("growth_bids", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
