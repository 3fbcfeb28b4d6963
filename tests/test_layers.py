"""The layers hold: foundation <- core_groups <- procurement <- growth_bids | partnerships <- commissioning.

`make lint` runs the import-linter contract in pyproject.toml; these tests run the same contract so `make test`
catches an upward import too, and check what import-linter cannot see: templates that load a tag library, or
include or extend a template, of a higher layer (or of a sibling).
"""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines

ROOT = Path(settings.BASE_DIR)
CONTRACT = next(
    c
    for c in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    if c["id"] == "layers"
)
# The templates in the project's own directory (base.html, emails, registration) are used by every layer, so
# they may only use what the bottom layer offers.
SHARED_TEMPLATES_LAYER = "foundation"


def _ranks() -> dict[str, int]:
    """Each app's height in the contract: the bottom layer is 0; siblings share a height."""
    ranks = {}
    for height, layer in enumerate(reversed(CONTRACT["layers"])):
        for app in re.split(r"[|:]", layer):
            ranks[app.strip()] = height
    return ranks


RANKS = _ranks()


def may_use(user: str, owner: str) -> bool:
    """May a template of app `user` use a tag library or template of app `owner`? Only its own or a lower one."""
    if owner not in RANKS:
        return True  # Django's own and third-party libraries and templates
    return owner == user or RANKS[owner] < RANKS[user]


LOAD = re.compile(r"{%\s*load\s+(.+?)\s*%}")
INCLUDE = re.compile(r"""{%\s*(?:include|extends)\s+["']([^"']+)["']""")


def upward_references(app: str, text: str) -> list[str]:
    """What a template of `app` loads, includes or extends from a layer above it or from a sibling."""
    libraries = engines["django"].engine.libraries  # tag library name -> module that defines it
    found = []
    for match in LOAD.finditer(text):
        names = match.group(1).split()
        # `{% load a b from library %}` loads from one library; `{% load a b %}` loads libraries a and b.
        for name in names[names.index("from") + 1 :] if "from" in names else names:
            owner = libraries.get(name, "").split(".")[0]
            if not may_use(app, owner):
                found.append(f"{{% load {name} %}} from {owner}")
    for match in INCLUDE.finditer(text):
        owner = match.group(1).split("/")[0]
        if not may_use(app, owner):
            found.append(f"template {match.group(1)} of {owner}")
    return found


def _templates():
    for app in ["foundation", *settings.PRODUCT_APPS]:
        for path in sorted((ROOT / app / "templates").rglob("*")):
            if path.is_file():
                yield app, path
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.is_file():
            yield SHARED_TEMPLATES_LAYER, path


def test_the_import_linter_layers_contract_is_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo", "--contract", "layers"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_covers_every_product_app_in_the_order_of_the_settings():
    """A new app must join the contract, and the settings' order (lowest layer first) must agree with it."""
    assert set(RANKS) == {"foundation", *settings.PRODUCT_APPS}
    assert set(RANKS) == set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]
    )
    heights = [RANKS[app] for app in ["foundation", *settings.PRODUCT_APPS]]
    assert heights == sorted(heights)
    assert settings.INSTALLED_APPS[-len(settings.PRODUCT_APPS) - 1 :] == ["foundation", *settings.PRODUCT_APPS]


def test_no_template_uses_a_tag_library_or_template_of_a_higher_layer():
    templates = list(_templates())
    assert len(templates) > 100  # the walk found the templates (110 HTML and 11 text today)
    problems = [
        f"{path.relative_to(ROOT)}: {problem}"
        for app, path in templates
        for problem in upward_references(app, path.read_text())
    ]
    assert problems == []


@pytest.mark.parametrize(
    "app, text",
    [
        ("core_groups", "{% load formatting report_text %}"),  # commissioning's library
        ("procurement", "{% load narrative from report_text %}"),
        ("growth_bids", '{% include "partnerships/_project_shared_services.html" %}'),  # a sibling
        ("foundation", "{% extends 'core_groups/form.html' %}"),
    ],
)
def test_the_template_check_finds_an_upward_reference(app, text):
    assert upward_references(app, text)


@pytest.mark.parametrize(
    "app, text",
    [
        ("commissioning", "{% load formatting report_text static crispy_forms_tags %}"),
        ("procurement", '{% extends "base.html" %}{% load formatting hooks %}{% include "procurement/x.html" %}'),
        ("growth_bids", "{% include 'core_groups/form.html' %}"),
    ],
)
def test_the_template_check_allows_own_and_lower_layers(app, text):
    assert upward_references(app, text) == []
