"""CSRF is enforced on every URL of the product, Django admin included.

One test walks Django's resolver (tests/permissions/resolver.py): for every URL pattern, a POST without
a token is handed to Django's own CsrfViewMiddleware together with the view that pattern calls, exactly
as a request would be before any view runs. A view that the middleware lets through (csrf_exempt as a
decorator, on dispatch, or as an attribute) is named. So a new view, or a csrf_exempt slipped onto one,
is caught without anyone listing it.

Then a handful of real POSTs without a token, through the whole middleware stack, from a client that
checks CSRF as a browser would: the sign-in form, a bid form, an admin change form and two upload
forms each answer 403 and write nothing; the same POST with the token gets past the check.
"""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import PASSWORD
from tests.permissions import objects
from tests.permissions.resolver import all_endpoints, sample_path
from tests.permissions.writes import record_writes

# Views that take POSTs from other machines and so cannot carry a token, by URL name; each needs its own
# proof (a signature, a shared secret) in a test of its own.
CSRF_EXEMPT = {}


def csrf_gaps():
    """The URL patterns whose view the CSRF middleware lets a token-less POST through to."""
    middleware = CsrfViewMiddleware(lambda request: HttpResponse())
    factory = RequestFactory()
    gaps = []
    for endpoint in all_endpoints():
        if endpoint.key in CSRF_EXEMPT:
            continue
        request = factory.post(sample_path(endpoint), {"title": "Forged"})
        middleware.process_request(request)
        refusal = middleware.process_view(request, endpoint.pattern.callback, (), {})
        if refusal is None or refusal.status_code != 403:
            gaps.append(str(endpoint))
    return gaps


def test_every_view_refuses_a_post_without_a_csrf_token():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert len(all_endpoints()) > 100, "the resolver walk found too few URLs to be the product's"
    gaps = csrf_gaps()
    assert not gaps, "These views accept a POST without a CSRF token:\n" + "\n".join(gaps)


def test_the_sweep_finds_an_exempt_view(settings):
    settings.ROOT_URLCONF = "tests.security.csrf_exempt_urls"
    assert sorted(csrf_gaps()) == [
        "exempt_class (/hooks/class/)",
        "exempt_function (/hooks/function/)",
    ]


# --- real POSTs through the whole stack ------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CSV = b"funder,provider\n"


def _login(p):
    return None, reverse("login"), reverse("login"), {"username": "officer", "password": PASSWORD}


def _bid_form(p):
    url = reverse("growth_bids:bid_create", kwargs={"pk": objects.funding_round(p).pk})
    return p.officer, url, url, {"title": "Forged bid"}


def _admin_change_form(p):
    url = reverse("admin:core_groups_organisation_change", args=[p.home.pk])
    return p.admin, url, url, {"name": "Forged name", "kind": p.home.kind}


def _register_upload(p):
    url = reverse("partnerships:import")
    return p.evaluator, url, url, {"file": SimpleUploadedFile("register.csv", CSV, content_type="text/csv")}


def _bid_attachment_upload(p):
    bid = objects.bid(p)
    url = reverse("growth_bids:attachment_upload", kwargs={"pk": bid.pk})
    page = reverse("growth_bids:bid_detail", kwargs={"pk": bid.pk})
    return p.officer, url, page, {"file": SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")}


FORMS = [_login, _bid_form, _admin_change_form, _register_upload, _bid_attachment_upload]


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__.lstrip("_"))
def test_a_real_post_without_a_token_is_refused_and_writes_nothing(form, personas):
    who, url, page, data = form(personas)
    client = Client(enforce_csrf_checks=True)
    if who is not None:
        client.force_login(who)

    with record_writes() as writes:
        response = client.post(url, data)
    assert response.status_code == 403, f"POST {url} without a CSRF token: {response.status_code}"
    assert b"CSRF" in response.content
    assert not writes, f"A POST refused for want of a CSRF token wrote:{writes.describe()}"

    # The refusal was for want of the token: the same POST with it gets past the check.
    client.get(page)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    for value in data.values():
        if hasattr(value, "seek"):
            value.seek(0)
    answer = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert answer.status_code != 403, f"POST {url} with a CSRF token: 403 {answer.content[:300]!r}"
