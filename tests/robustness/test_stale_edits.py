"""Two stale editors of a forecast: the second is told, the first edit is never silently lost (issue 19, item 4)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.core_groups.conftest import cymorth  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_second_of_two_stale_forecast_editors_is_told_and_the_first_edit_stays(client, personas, cymorth):  # noqa: F811
    url = reverse("core_groups:forecast", args=[cymorth.group.pk, 2010])
    client.force_login(personas.member)
    first_form = client.get(url).context["form"]
    second_form = client.get(url).context["form"]
    version = first_form["version"].value()
    assert version == second_form["version"].value()
    assert client.post(url, {"forecast_outturn": "900000.00", "version": version}).status_code == 302
    stale = client.post(url, {"forecast_outturn": "100.00", "version": version})
    assert stale.status_code == 200
    assert "reload the page" in stale.text
    cymorth.allocation.refresh_from_db()
    assert cymorth.allocation.forecast_outturn == Decimal("900000.00")


def test_a_forecast_posted_without_its_version_is_refused(client, personas, cymorth):  # noqa: F811
    url = reverse("core_groups:forecast", args=[cymorth.group.pk, 2010])
    client.force_login(personas.member)
    response = client.post(url, {"forecast_outturn": "100.00"})
    assert response.status_code == 200
    assert "This page is out of date" in response.text
