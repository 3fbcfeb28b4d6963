from foundation.extensions import NavItem
from foundation.links import remembered_reverse as reverse


def items(user):
    children = [
        NavItem("Programmes and core groups", reverse("core_groups:index"), "/core-groups/programmes/"),
        NavItem("Work plan", reverse("core_groups:commissions"), "/core-groups/work-plan/"),
        NavItem("Risk register", reverse("core_groups:risks"), "/core-groups/risks/"),
        NavItem("Declared interests", reverse("core_groups:declarations"), "/core-groups/interests/"),
    ]
    return [NavItem("Core groups", children[0].url, "/core-groups/", children=children, order=20)]
