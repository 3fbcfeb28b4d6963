"""The list pages' selects of core groups and programmes are kept between requests (foundation/choice_cache.py)
and forgotten when a row changes: never a stale name, never another partnership's options."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core_groups import selectors
from tests.factories import CoreGroupFactory, PartnershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _core_group_select(group, data=None):
    form = selectors.commission_list(data=data or {}, partnership=group.partnership).form
    with CaptureQueriesContext(connection) as queries:
        html = str(form["core_group"])
    names = [q["sql"] for q in queries if "core_groups_coregroup" in q["sql"]]
    return html, names


def test_the_select_is_read_once_then_kept_and_forgotten_when_a_group_changes():
    group = CoreGroupFactory(name="Early Help")
    html, read = _core_group_select(group)
    assert "Early Help" in html and len(read) == 1
    html_again, read_again = _core_group_select(group)
    assert html_again == html and read_again == []  # from the cache: no query

    group.name = "Early Help and Prevention"
    group.save()
    html, read = _core_group_select(group)
    assert "Early Help and Prevention" in html and len(read) == 1

    added = CoreGroupFactory(name="Youth Justice", programme=group.programme)
    html, _read = _core_group_select(group)
    assert f'<option value="{added.pk}">Youth Justice</option>' in html

    added.delete()
    html, _read = _core_group_select(group)
    assert "Youth Justice" not in html


def test_the_selected_value_and_the_partnership_are_part_of_the_key():
    group = CoreGroupFactory(name="Early Help")
    other = CoreGroupFactory(name="Carers", programme=group.programme)
    plain, _ = _core_group_select(group)
    chosen, _ = _core_group_select(group, {"core_group": str(other.pk)})
    assert f'<option value="{other.pk}" selected>Carers</option>' in chosen
    assert "selected>Carers" not in plain

    elsewhere = PartnershipFactory(short_name="ELSEWHERE", name="Elsewhere partnership")
    theirs = CoreGroupFactory(
        name="Their group",
        programme=ProgrammeFactory(name="Their programme", partnership=elsewhere),
        partnership=elsewhere,
    )
    mine, _ = _core_group_select(group)
    their_html, _ = _core_group_select(theirs)
    assert "Their group" not in mine and "Early Help" not in their_html and "Their group" in their_html
