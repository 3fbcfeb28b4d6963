"""How each app contributes to pages it does not own, without the app below (or the top layer) knowing it.

Three extension points, each a module an app may define and a function in it:

- ``<app>/navigation.py``: ``items(user) -> list[NavItem]``, the main navigation;
- ``<app>/dashboard.py``: ``panels(request) -> list[Panel]``, the home page;
- ``<app>/hooks.py``: one function per hook a lower app's page offers, ``<hook>(user, *args) -> list[Snippet]``.
  The page renders them with ``{% load hooks %}{% hook "<hook>" arg ... %}``. Today's hook is
  ``project_page_links(user, project)``: the procurement project page links back to whatever the project came
  from (a growth bid, a shared service) without procurement importing the apps above it.
- ``<app>/scopes.py``: ``visible(user) -> list[(model, queryset)]``, the records of the app's models ``user`` may
  see. A lower app's record scoped to one of them (a risk raised on a procurement project) is seen by the same
  people as that record, never by more.

The apps looked at are ``settings.PRODUCT_APPS`` (the top layer's settings name them), so this bottom layer names
no app. Each contribution carries an ``order``; pages show them sorted by it, so the order on screen is chosen
where the item is made, independently of the order of the layers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeAlias

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

# Whoever a page is for: what request.user holds.
Person: TypeAlias = "AbstractBaseUser | AnonymousUser"


@dataclass
class NavItem:
    """A link in the main navigation; with children it is a menu of links (url is then the first page)."""

    label: str
    url: str
    active_prefix: str = ""
    children: list[NavItem] = field(default_factory=list)
    order: int = 50
    # Set by the navigation context processor for the page being shown.
    active: bool = False


@dataclass
class Panel:
    """A panel on the home page: a template rendered with its context."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


@dataclass
class Snippet:
    """What a hook contributes to a page of a lower app: a template rendered with its context."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


def _modules(name: str) -> Iterator[ModuleType]:
    """Each product app's module ``name``, for the apps that have one."""
    for app in settings.PRODUCT_APPS:
        try:
            yield import_module(f"{app}.{name}")
        except ModuleNotFoundError as exc:
            # Only a missing module means "this app contributes nothing"; a broken import inside it must show.
            if exc.name not in (f"{app}.{name}", app):
                raise


def _contributions(module: str, function: str) -> Iterator[Callable[..., list[Any]]]:
    for found in _modules(module):
        contribute = getattr(found, function, None)
        if contribute is not None:
            yield contribute


def navigation_items(user: Person) -> list[NavItem]:
    items = [item for contribute in _contributions("navigation", "items") for item in contribute(user)]
    return sorted(items, key=lambda item: item.order)


def dashboard_panels(request: HttpRequest) -> list[Panel]:
    panels = [panel for contribute in _contributions("dashboard", "panels") for panel in contribute(request)]
    return sorted(panels, key=lambda panel: panel.order)


def visible_scopes(user: Person) -> list[tuple[type[Model], QuerySet[Any]]]:
    """Each product app's scoping models with the records ``user`` may see (``scopes.visible(user)``)."""
    return [pair for contribute in _contributions("scopes", "visible") for pair in contribute(user)]


def hook_snippets(hook: str, user: Person, *args: Any) -> list[Snippet]:
    """Every product app's snippets for ``hook``: ``hooks.<hook>(user, *args)`` in each app that defines it."""
    if not hook.isidentifier():
        raise ValueError(f"A hook is named like a Python function, not {hook!r}.")
    snippets = [snippet for contribute in _contributions("hooks", hook) for snippet in contribute(user, *args)]
    return sorted(snippets, key=lambda snippet: snippet.order)
