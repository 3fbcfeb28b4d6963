import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_user_signs_in_reaches_the_dashboard_and_signs_out(page, a11y):
    UserFactory(username="olivia", first_name="Olivia")
    page.goto("/")
    assert "/accounts/login/" in page.url
    a11y(page)
    login(page, "olivia", "wrong-password")
    expect(page.get_by_text("correct username and password")).to_be_visible()
    login(page, "olivia")
    expect(page.get_by_role("heading", name="Welcome, Olivia")).to_be_visible()
    a11y(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    assert not page.console_errors, page.console_errors


def test_login_page_works_at_320px(page, a11y):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/accounts/login/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
    a11y(page)
