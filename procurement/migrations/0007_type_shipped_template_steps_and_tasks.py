from django.db import migrations

from procurement.template_library import TEMPLATES


def type_steps_and_tasks(apps, schema_editor):
    """Give the shipped templates' steps their kind (UK4 tender notice, tender deadline, UK6, standstill,
    entering into the contract, UK7, TUPE lead-in, mobilisation, contract start), and the tasks drawn from them
    the same kind. A step an administrator has since reworded is left as it is. The PA 2023 TUPE lead-in
    becomes 90 days ending the day before mobilisation (it used to snap to the end of its month and overlap)."""
    Template = apps.get_model("procurement", "TimetableTemplate")
    TemplateStep = apps.get_model("procurement", "TemplateStep")
    Task = apps.get_model("procurement", "Task")
    for data in TEMPLATES:
        template = Template.objects.filter(name=data["name"]).first()
        if template is None:
            continue
        for step in data["steps"]:
            row = TemplateStep.objects.filter(template=template, position=step.position, activity=step.activity).first()
            if row is None:
                continue
            row.kind = step.kind
            if step.kind == "tupe_lead_in" and data["name"] != "Open procedure, light-touch services":
                row.duration, row.duration_unit, row.precision = step.duration, step.duration_unit, step.precision
            row.save()
            if step.kind:
                Task.objects.filter(
                    timetable__project__template=template, step_position=step.position, activity=step.activity
                ).update(kind=step.kind)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0006_task_and_step_kinds")]

    operations = [migrations.RunPython(type_steps_and_tasks, migrations.RunPython.noop)]
