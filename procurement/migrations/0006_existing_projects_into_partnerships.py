"""Give every existing project and underspend policy its partnership; existing timetable templates stay national.

A project follows its commission's core group, else the partnership its lead organisation belongs to, else the
first partnership (there is always one once a row exists: core_groups 0008 makes them).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Partnership = apps.get_model("core_groups", "Partnership")
    ProcurementProject = apps.get_model("procurement", "ProcurementProject")
    UnderspendPolicy = apps.get_model("procurement", "UnderspendPolicy")

    def fallback():
        existing = Partnership.objects.order_by("pk").first()
        return existing or Partnership.objects.create(name="Default partnership", short_name="default")

    for policy in UnderspendPolicy.objects.select_related("programme"):
        policy.partnership_id = policy.programme.partnership_id
        policy.save(update_fields=["partnership"])

    for project in ProcurementProject.objects.filter(partnership__isnull=True).select_related("commission__core_group"):
        partnership_id = project.commission.core_group.partnership_id if project.commission_id else None
        if partnership_id is None:
            partnership_id = (
                Partnership.objects.filter(organisations=project.lead_organisation_id)
                .order_by("pk")
                .values_list("pk", flat=True)
                .first()
            )
        project.partnership_id = partnership_id or fallback().pk
        project.save(update_fields=["partnership"])

    # Risks scoped to a project belong to the project's partnership.
    Risk = apps.get_model("core_groups", "Risk")
    ContentType = apps.get_model("contenttypes", "ContentType")
    project_type = ContentType.objects.filter(app_label="procurement", model="procurementproject").first()
    if project_type:
        for risk in Risk.objects.filter(partnership__isnull=True, content_type=project_type):
            risk.partnership_id = (
                ProcurementProject.objects.filter(pk=risk.object_id).values_list("partnership", flat=True).first()
            )
            risk.save(update_fields=["partnership"])


class Migration(migrations.Migration):
    dependencies = [
        ("core_groups", "0009_risk_partnership"),
        ("procurement", "0005_owned_by_partnership"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
