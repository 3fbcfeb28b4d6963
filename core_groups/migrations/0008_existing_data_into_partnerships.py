"""Put the existing data into partnerships and give every role holder a role in their partnerships.

The known partnerships of the source documents are made when any of their programmes or organisations is
present; any other programme becomes a partnership of its own. Core groups follow their programme; an
interest follows the commission it names, else its declarer's organisation. A person who held a global role
group gets the matching role in every partnership their organisation belongs to or whose core groups they
sit in; a role holder with neither gets it in every partnership, so that nobody who worked before is locked out
(the partnership administrator narrows it afterwards).
"""

from django.db import migrations
from django.utils.text import slugify

from core_groups.partnership_catalogue import GROUP_TO_ROLE, PARTNERSHIPS


def fallback_partnership(apps):
    Partnership = apps.get_model("core_groups", "Partnership")
    existing = Partnership.objects.order_by("pk").first()
    if existing is not None:
        return existing
    return Partnership.objects.create(name="Default partnership", short_name="default")


def unique_slug(Partnership, name):
    base = slugify(name)[:50] or "partnership"
    slug, n = base, 1
    while Partnership.objects.filter(short_name=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def forwards(apps, schema_editor):
    Partnership = apps.get_model("core_groups", "Partnership")
    PartnershipRole = apps.get_model("core_groups", "PartnershipRole")
    Organisation = apps.get_model("core_groups", "Organisation")
    Programme = apps.get_model("core_groups", "Programme")
    CoreGroup = apps.get_model("core_groups", "CoreGroup")
    Commission = apps.get_model("core_groups", "Commission")
    DeclaredInterest = apps.get_model("core_groups", "DeclaredInterest")
    User = apps.get_model("core_groups", "User")
    ContentType = apps.get_model("contenttypes", "ContentType")

    for short_name, name, reports_to, decided_by, prefix, programme_names, org_names in PARTNERSHIPS:
        programmes = Programme.objects.filter(name__in=programme_names)
        organisations = Organisation.objects.filter(name__in=org_names)
        if not programmes.exists() and not organisations.exists():
            continue
        partnership, _ = Partnership.objects.get_or_create(
            short_name=short_name,
            defaults={"name": name, "reports_to": reports_to, "decided_by": decided_by, "identifier_prefix": prefix},
        )
        partnership.organisations.add(*organisations)
        programmes.filter(partnership__isnull=True).update(partnership=partnership)

    for programme in Programme.objects.filter(partnership__isnull=True):
        partnership = Partnership.objects.create(
            name=programme.name if not Partnership.objects.filter(name=programme.name).exists() else f"{programme.name} partnership",
            short_name=unique_slug(Partnership, programme.name),
            reports_to=programme.reports_to,
            decided_by=programme.decided_by,
        )
        if programme.lead_organisation_id:
            partnership.organisations.add(programme.lead_organisation_id)
        programme.partnership = partnership
        programme.save(update_fields=["partnership"])

    for group in CoreGroup.objects.select_related("programme"):
        group.partnership_id = group.programme.partnership_id
        group.save(update_fields=["partnership"])

    commission_type = ContentType.objects.filter(app_label="core_groups", model="commission").first()
    for interest in DeclaredInterest.objects.filter(partnership__isnull=True).select_related("user"):
        partnership_id = None
        if commission_type and interest.content_type_id == commission_type.pk:
            partnership_id = (
                Commission.objects.filter(pk=interest.object_id).values_list("core_group__partnership", flat=True).first()
            )
        if partnership_id is None and interest.user.organisation_id:
            partnership_id = (
                Partnership.objects.filter(organisations=interest.user.organisation_id).values_list("pk", flat=True).first()
            )
        if partnership_id is None and interest.organisation_id:
            partnership_id = (
                Partnership.objects.filter(organisations=interest.organisation_id).values_list("pk", flat=True).first()
            )
        interest.partnership_id = partnership_id or fallback_partnership(apps).pk
        interest.save(update_fields=["partnership"])

    all_ids = list(Partnership.objects.values_list("pk", flat=True))
    for user in User.objects.filter(groups__name__in=list(GROUP_TO_ROLE)).distinct():
        ids = set()
        if user.organisation_id:
            ids |= set(Partnership.objects.filter(organisations=user.organisation_id).values_list("pk", flat=True))
        ids |= set(CoreGroup.objects.filter(memberships__user=user).values_list("partnership", flat=True))
        ids |= set(CoreGroup.objects.filter(lead_support_officer=user).values_list("partnership", flat=True))
        ids.discard(None)
        if not ids:
            ids = set(all_ids)
        for group_name in user.groups.filter(name__in=list(GROUP_TO_ROLE)).values_list("name", flat=True):
            for partnership_id in ids:
                PartnershipRole.objects.get_or_create(
                    user=user, partnership_id=partnership_id, role=GROUP_TO_ROLE[group_name]
                )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core_groups", "0007_partnerships_and_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
