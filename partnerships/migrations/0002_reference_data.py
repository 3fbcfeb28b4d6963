"""The seed's three options (section 4 and 7.4) and its three service areas (2.2, 2.5, 3.5)."""

from decimal import Decimal

from django.db import migrations

OPTIONS = [
    (
        "aligned_budgets",
        "Aligned budgets with a lead commissioner",
        1,
        "Partners commission together; a lead commissioner procures on behalf of all partners. Budgets are "
        "transferred to the lead commissioner annually, in advance, for the duration of the contract. Financial, "
        "contract and performance management are done by the lead commissioner, with reports to partners.",
        "The greatest potential efficiencies: one procurement and one contract instead of many\n"
        "Economies of scale and collective bargaining power improve value for money\n"
        "One set of financial, contract and performance management, reported to every partner\n"
        "Partners keep responsibility for needs analysis, priorities and outcomes\n"
        "Three-year minimum contracts give providers stability",
        "Budgets are transferred to the lead commissioner annually in advance for the life of the contract\n"
        "May not suit every organisation or every service\n"
        "Some partners need a cabinet decision before they can join",
    ),
    (
        "stand_alone",
        "Stand-alone partnership arrangements",
        2,
        "One partner determines a need to commission or recommission a service and asks the others whether "
        "they wish to commission jointly; one partner then leads on behalf of the group. Financial, contract and "
        "performance management may stay with the lead partner or with each partner.",
        "Suits new services or a small number of funding partners\n"
        "Any partner can instigate it when it needs to commission\n"
        "Contract and performance management can stay with each partner",
        "Fewer efficiencies than aligned budgets\n"
        "Happens case by case, only when one partner approaches the others\n"
        "The process varies unless a consistent framework is agreed",
    ),
    (
        "do_nothing",
        "Do nothing",
        3,
        "Each partner keeps funding and managing its own arrangements.",
        "No change and no transfer of budgets",
        "Historical and rolling arrangements must still be revisited and openly procured, by each partner alone\n"
        "Providers may not have the capacity to answer many tenders on similar timescales\n"
        "No back-office efficiencies",
    ),
]

AREAS = [
    ("Debt, benefits and consumer advice", "debt-advice", Decimal("41000.00")),
    ("Third sector infrastructure and volunteering", "infrastructure-volunteering", Decimal("41000.00")),
    ("Advocacy", "advocacy", Decimal("27289.00")),
]


def create(apps, schema_editor):
    SharedOption = apps.get_model("partnerships", "SharedOption")
    ServiceArea = apps.get_model("partnerships", "ServiceArea")
    for kind, name, order, description, advantages, disadvantages in OPTIONS:
        SharedOption.objects.update_or_create(
            kind=kind,
            defaults={
                "name": name,
                "order": order,
                "description": description,
                "advantages": advantages,
                "disadvantages": disadvantages,
            },
        )
    for name, code, cost in AREAS:
        ServiceArea.objects.get_or_create(code=code, defaults={"name": name, "shared_cost_per_contract": cost})


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
