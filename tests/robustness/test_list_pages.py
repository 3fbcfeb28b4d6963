"""Every list page (every GET page without an id in its path) with hostile values in its query string: never
a 500. Each page is sent every hostile value in every parameter it reads at once, then each parameter alone
with the nastiest values, so that one parameter refused early cannot hide another."""

import django_filters
import pytest
from django.urls import reverse

from tests.permissions.resolver import endpoints

from .catalogue import COMMON_PARAMS, HOSTILE

pytestmark = pytest.mark.django_db

# Pages that are not lists: they sign in and out, or take no query string by design.
NOT_LISTS = {
    "logout",
    "login",
    "password_reset",
    "password_reset_done",
    "password_change",
    "password_change_done",
    "password_reset_complete",
    "healthz",
}


def _list_pages():
    return sorted(e.key for e in endpoints() if not e.needs_kwargs and e.key.split(":")[-1] not in NOT_LISTS)


def _filter_params():
    """Every parameter name of every FilterSet in the product apps (the list pages' filters)."""
    import importlib

    from django import forms
    from django.conf import settings

    names = set()
    for app in settings.PRODUCT_APPS:
        for module_name in (f"{app}.filters", f"{app}.reports.filters", f"{app}.forms", f"{app}.decision_register"):
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                continue
            for value in vars(module).values():
                # Plain forms that filter a list (review's, the decision register's) are read from the query string too.
                if (
                    isinstance(value, type)
                    and issubclass(value, forms.Form)
                    and value.__name__.endswith(("Filter", "FilterForm"))
                ):
                    names.update(value.base_fields)
                if isinstance(value, type) and issubclass(value, django_filters.FilterSet):
                    for name, flt in value.base_filters.items():
                        names.add(name)
                        if isinstance(flt, django_filters.RangeFilter | django_filters.DateFromToRangeFilter):
                            names.update({f"{name}_min", f"{name}_max", f"{name}_after", f"{name}_before"})
    return sorted(names)


PARAMS = sorted(set(COMMON_PARAMS) | set(_filter_params()))


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas.admin)
    return client


def _get(client, url, params):
    response = client.get(url, params)
    assert response.status_code < 500, (url, params if len(str(params)) < 300 else list(params))
    return response


@pytest.mark.parametrize("page", _list_pages())
def test_a_list_page_never_answers_500_to_hostile_query_strings(admin_client, page):
    url = reverse(page)
    for value in HOSTILE.values():
        _get(admin_client, url, {name: value for name in PARAMS})
    for name in PARAMS:
        for value in (HOSTILE["nul"], HOSTILE["huge"], HOSTILE["far-future"]):
            _get(admin_client, url, {name: value})
