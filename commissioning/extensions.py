"""How each app contributes navigation items and dashboard panels without the top layer knowing them.

An app may define ``<app>/navigation.py`` with ``items(user) -> list[NavItem]`` and
``<app>/dashboard.py`` with ``panels(request) -> list[Panel]``. The order of PRODUCT_APPS is the order
on screen.
"""

from dataclasses import dataclass, field
from importlib import import_module

PRODUCT_APPS = ["growth_bids", "core_groups", "procurement", "partnerships", "commissioning"]


@dataclass
class NavItem:
    """A link in the main navigation; with children it is a menu of links (url is then the first page)."""

    label: str
    url: str
    active_prefix: str = ""
    children: list = field(default_factory=list)


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


def _modules(name):
    for app in PRODUCT_APPS:
        try:
            yield import_module(f"{app}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{app}.{name}", app):
                raise


def navigation_items(user):
    items = []
    for module in _modules("navigation"):
        items.extend(module.items(user))
    return items


def dashboard_panels(request):
    panels = []
    for module in _modules("dashboard"):
        panels.extend(module.panels(request))
    return sorted(panels, key=lambda p: p.order)
