from django.urls import reverse

from commissioning.extensions import NavItem


def items(user):
    return [
        NavItem("Core groups", reverse("core_groups:index"), "/core-groups/programmes/"),
        NavItem("Work plan", reverse("core_groups:commissions"), "/core-groups/work-plan/"),
        NavItem("Risks", reverse("core_groups:risks"), "/core-groups/risks/"),
        NavItem("Interests", reverse("core_groups:declarations"), "/core-groups/interests/"),
    ]
