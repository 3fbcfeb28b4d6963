"""The bottom layer's extension registry: navigation, dashboard panels and page hooks from the apps above."""

import copy
from pathlib import Path

import pytest
from django.template import Context, Template

from foundation.extensions import dashboard_panels, hook_snippets, navigation_items

pytestmark = pytest.mark.django_db

CONTRIBUTOR = "tests.foundation.contributor"


@pytest.fixture
def contributor(settings):
    """A stand-in app above the others, with its templates findable."""
    settings.PRODUCT_APPS = [*settings.PRODUCT_APPS, CONTRIBUTOR]
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates


def test_the_navigation_is_in_the_order_the_apps_chose_not_the_order_of_the_layers(personas):
    labels = [item.label for item in navigation_items(personas.admin)]
    assert labels == [
        "Growth bids",
        "Core groups",
        "Procurement",
        "Shared commissioning",
        "Review",
        "Decisions",
        "Reports",
        "Admin",
    ]


def test_the_dashboard_panels_come_from_every_app_in_order(rf, personas):
    request = rf.get("/")
    request.user = personas.admin
    panels = dashboard_panels(request)
    assert [p.order for p in panels] == sorted(p.order for p in panels)
    assert "Your roles" in [p.title for p in panels]


def test_a_hook_no_app_answers_gives_nothing(personas):
    assert hook_snippets("no_app_answers_this", personas.admin, object()) == []


def test_a_hook_is_named_like_a_function(personas):
    with pytest.raises(ValueError, match="named like a Python function"):
        hook_snippets("../navigation", personas.admin)


def test_the_hook_tag_renders_each_apps_snippets_in_order_and_escapes_them(rf, personas, contributor):
    request = rf.get("/")
    request.user = personas.officer
    html = Template('{% load hooks %}{% hook "thing_page_links" thing %}').render(
        Context({"request": request, "thing": "<b>bold</b>"})
    )
    assert html == ('<p class="snippet">first for officer</p><p class="snippet">second for &lt;b&gt;bold&lt;/b&gt;</p>')


def test_the_hook_tag_shows_nothing_without_a_person(contributor):
    assert Template('{% load hooks %}{% hook "thing_page_links" "x" %}').render(Context({})) == ""


def test_a_broken_import_inside_an_apps_module_is_not_mistaken_for_a_missing_module(personas, contributor):
    with pytest.raises(ModuleNotFoundError, match="a_module_that_does_not_exist"):
        navigation_items(personas.admin)
