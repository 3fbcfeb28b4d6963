"""Browser journeys: Playwright for Python driving Debian's chromium against a live server.

Never a downloaded browser: the executable is /usr/bin/chromium (CHROMIUM_PATH to change it).
Every journey saves a screenshot of its last page under artifacts/screenshots/ (the README names it).
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.services import ROOT, require_axe, require_chromium, required

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required():
            pytest.fail("playwright is not installed", pytrace=False)
        pytest.skip("playwright is not installed: make test installs it")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(_playwright):
    executable = require_chromium()
    browser = _playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def live_url(live_server, settings):
    # Served over plain http by the test server: cookies must not demand https here.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    settings.AXES_ENABLED = False
    return live_server.url


@pytest.fixture
def page(browser, live_url, request):
    context = browser.new_context(
        base_url=live_url, viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(15000)
    # Assertions wait for the page as actions do (a bare is_visible() checks once, racing a navigation).
    from playwright.sync_api import expect

    expect.set_options(timeout=15000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    try:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    finally:
        context.close()


def login(page, username, password=None):
    """Sign in through the real login form."""
    from tests.factories import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password or PASSWORD)
    # The form always answers with a new page (the dashboard, or the form again with an error): wait
    # for that page to have loaded, scripts included, before the journey goes on.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Sign in").click()


def check_accessibility(page, context=None):
    """Run axe-core (from the npm registry, node_modules/axe-core) in the page: no serious or critical violation."""
    axe = require_axe()
    page.evaluate(axe.read_text())
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
    result = page.evaluate("async (options) => await axe.run(document, options)", options)
    bad = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
    summary = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in bad
    ]
    assert not bad, f"Accessibility violations on {page.url}:\n{json.dumps(summary, indent=2)}"


@pytest.fixture
def a11y():
    return check_accessibility


@pytest.fixture
def screenshots_dir():
    return Path(SCREENSHOTS)


__all__ = ["login", "check_accessibility", "settings"]
