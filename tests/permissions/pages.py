"""The pages a persona can open, found from the resolver and the expectations table.

Used by the CSP sweep (tests/security/test_csp.py) and the accessibility sweep
(tests/e2e/test_accessibility.py): every page whose row says 200 for the persona, with its kwargs
built by the row, plus (for the admin) every page of Django admin.
"""

import re

from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.permissions import objects
from tests.permissions.expectations import RULES
from tests.permissions.resolver import all_endpoints, endpoints

ADMIN_MODEL_URL = re.compile(r"^admin:(?P<app>[a-z0-9_]+?)_(?P<model>[a-z0-9]+)_(?P<action>[a-z]+)$")
# Admin pages that are not HTML for a person, or that only redirect.
ADMIN_NOT_PAGES = {"admin:jsi18n", "admin:autocomplete", "admin:view_on_site", "admin:logout", "admin:login"}


def product_pages(personas, persona):
    """(key, url) of every product page whose row expects 200 on GET for the persona."""
    pages = []
    for endpoint in endpoints(admin_keys=RULES):
        rule = RULES.get(endpoint.key)
        if rule is None or rule.get.get(persona) != 200 or endpoint.is_admin:
            continue
        kwargs = rule.kwargs(personas) if rule.kwargs else {}
        pages.append((endpoint.key, reverse(endpoint.key, kwargs=kwargs)))
    return pages


def _seed_admin_records(personas):
    """One record of every kind the builders know, so the admin's change pages have something to show."""
    for name in dir(objects):
        builder = getattr(objects, name)
        if getattr(builder, "builder", False):
            builder(personas)


def admin_pages(personas):
    """(key, url) of every page of Django admin an administrator opens: index, app lists, each
    registered model's list and add form and (when a record exists) its change, history and delete pages."""
    _seed_admin_records(personas)
    models = {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}
    pages = []
    for endpoint in all_endpoints():
        if not endpoint.is_admin or endpoint.key in ADMIN_NOT_PAGES or ":" not in endpoint.key:
            continue
        if endpoint.key == "admin:app_list":
            for label in sorted({m._meta.app_label for m in models.values()}):
                pages.append((f"admin:app_list[{label}]", reverse("admin:app_list", kwargs={"app_label": label})))
            continue
        match = ADMIN_MODEL_URL.match(endpoint.key)
        kwargs = {}
        if match:
            model = models.get(f"{match['app']}_{match['model']}")
            if model is None:
                continue
            if "object_id" in endpoint.route:
                first = model._base_manager.order_by("pk").first()
                if first is None:
                    continue
                kwargs = {"object_id": first.pk}
        try:
            pages.append((endpoint.key, reverse(endpoint.key, kwargs=kwargs)))
        except NoReverseMatch:
            continue
    return pages
