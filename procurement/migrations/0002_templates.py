from django.db import migrations

from procurement.template_library import TEMPLATES


def load_templates(apps, schema_editor):
    """Ship the five timetable templates; an administrator edits them in admin afterwards."""
    Template = apps.get_model("procurement", "TimetableTemplate")
    Step = apps.get_model("procurement", "TemplateStep")
    for data in TEMPLATES:
        template, created = Template.objects.get_or_create(
            name=data["name"],
            defaults={"procedure": data["procedure"], "regime": data["regime"], "description": data["description"]},
        )
        if not created:
            continue
        Step.objects.bulk_create(
            Step(
                template=template,
                position=s.position,
                stage=s.stage,
                activity=s.activity,
                responsible_role=s.responsibility,
                anchor=s.anchor,
                offset_months=s.offset_months,
                offset_days=s.offset_days,
                offset_unit=s.offset_unit,
                duration=s.duration,
                duration_unit=s.duration_unit,
                precision=s.precision,
                milestone=s.milestone,
                condition=s.condition,
                statutory_minimum=s.statutory_minimum,
                statutory_unit=s.statutory_unit,
                statutory_rule=s.statutory_rule,
                notes=s.notes,
            )
            for s in data["steps"]
        )


def unload_templates(apps, schema_editor):
    Template = apps.get_model("procurement", "TimetableTemplate")
    Template.objects.filter(name__in=[t["name"] for t in TEMPLATES], projects__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_projects_timetables_policies")]

    operations = [migrations.RunPython(load_templates, unload_templates)]
