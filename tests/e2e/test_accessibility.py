"""Accessibility sweep: every page the administrator and an officer can open, in a real browser.

The pages come from the resolver and the permission table (tests/permissions/pages.py), so a new
view is visited as soon as its row says 200. Each page is checked with axe-core (no serious or
critical violation) and for console errors, which is where the browser reports anything the strict
Content-Security-Policy blocked. Then: signing in with the keyboard alone, and the dashboard at 320 px.

Django admin's own pages are not in this sweep: its templates carry axe findings of Django's making
(link-in-text-block, target-size, aria-input-field-name on the changelist and filter widgets) and its
JavaScript sets inline styles that style-src 'self' blocks. They are Django's code, not ours; the CSP
sweep in tests/security/test_csp.py still checks every admin page's HTML.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from playwright.sync_api import expect

from core_groups import roles
from tests.e2e.conftest import login
from tests.factories import make_personas
from tests.permissions.pages import product_pages

pytestmark = pytest.mark.django_db(transaction=True)


def _personas():
    # A transactional test flushes the role groups the data migration made: put them back first.
    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
    return make_personas()


def _html_only(user, pages):
    """Leave out downloads (CSV, Excel, PDF), which a browser saves instead of showing, and htmx fragments
    (a part of a page, swapped into the page that polls for it), which are checked as part of that page."""
    client = Client()
    client.force_login(user)
    kept = []
    for key, url in pages:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        if response.content.lstrip().lower().startswith(b"<!doctype html"):
            kept.append((key, url))
    return kept


def _sweep(page, a11y, pages):
    problems = {}
    for key, url in pages:
        page.console_errors.clear()
        response = page.goto(url)
        if response is None or response.status != 200:
            problems[f"{key} {url}"] = [f"status {response.status if response else 'none'}"]
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        found = []
        try:
            a11y(page)
        except AssertionError as exc:
            found.append(str(exc))
        if page.console_errors:
            found.append(f"console errors (CSP?): {page.console_errors[:3]}")
        if found:
            problems[f"{key} {url}"] = found
    return problems


@pytest.mark.parametrize("persona", ["officer", "admin"])
def test_every_page_the_persona_can_open_is_accessible(page, a11y, persona):
    personas = _personas()
    pages = product_pages(personas, persona)
    pages = _html_only(personas[persona], pages)
    login(page, persona)
    problems = _sweep(page, a11y, pages)
    assert len(pages) >= 5
    assert not problems, "\n\n".join(f"{k}:\n" + "\n".join(v) for k, v in problems.items())


def test_signing_in_with_the_keyboard_alone(page, a11y):
    _personas()
    page.goto("/accounts/login/")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.name") == "username":
            break
    else:
        pytest.fail("Tab never reached the username field")
    page.keyboard.type("officer")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    from tests.factories import PASSWORD

    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    # The skip link is the first thing Tab reaches on a signed-in page, and it is visible when focused.
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.textContent.trim(), document.activeElement.getAttribute('href')]")
    assert focused == ["Skip to main content", "#main"]
    expect(page.locator(".skip-link")).to_be_visible()


def test_the_dashboard_and_pages_fit_320_pixels(page, a11y):
    personas = _personas()
    page.set_viewport_size({"width": 320, "height": 640})
    login(page, "officer")
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    a11y(page)
    overflowing = []
    for key, url in _html_only(personas.officer, product_pages(personas, "officer")):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            overflowing.append(f"{key} {url}: {width}px")
    assert not overflowing, "Pages wider than 320 px (wrap tables in .table-responsive):\n" + "\n".join(overflowing)
