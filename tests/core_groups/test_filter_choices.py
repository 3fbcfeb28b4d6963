"""List filters (issue 17): every list writes its filter fields through ``{% filter_field field compact=True %}``,
and a filter by core group or programme reads its options as (id, name) pairs, not one model object each."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core_groups.filters import CommissionFilter, RiskFilter
from tests.factories import CoreGroupFactory, PartnershipFactory, ProgrammeFactory, home_partnership

pytestmark = pytest.mark.django_db

FIELD = Template("{% load filter_forms %}{% filter_field field compact=True %}")


def test_the_core_group_filter_offers_the_partnerships_groups_with_the_chosen_one_selected():
    partnership = home_partnership()
    groups = [CoreGroupFactory(name=name, partnership=partnership) for name in ("Young carers", "Advice & <info>")]
    elsewhere = ProgrammeFactory(partnership=PartnershipFactory(short_name="elsewhere"))
    CoreGroupFactory(name="Another partnership's group", programme=elsewhere, partnership=elsewhere.partnership)
    chosen = groups[0]
    form = CommissionFilter(data={"core_group": str(chosen.pk)}, partnership=partnership).form
    with CaptureQueriesContext(connection) as ctx:
        html = FIELD.render(Context({"field": form["core_group"]}))
    # The chosen group validated (one query) and the options read as (id, name) pairs (one more).
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert len(sqls) == 2, sqls
    assert any('"id" AS "pk", "core_groups_coregroup"."name" AS "name" FROM' in sql for sql in sqls), sqls
    assert f'<option value="{chosen.pk}" selected>Young carers</option>' in html
    assert f'<option value="{groups[1].pk}">Advice &amp; &lt;info&gt;</option>' in html
    assert "Another partnership" not in html
    assert 'form-select form-select-sm"' in html and "data-autosubmit" in html
    assert '<label for="id_core_group" class="form-label small mb-1">Core group</label>' in html
    assert form.is_valid() and form.cleaned_data["core_group"] == chosen


def test_a_group_of_another_partnership_is_refused_beside_the_field():
    partnership = home_partnership()
    programme = ProgrammeFactory(partnership=PartnershipFactory(short_name="elsewhere"))
    elsewhere = CoreGroupFactory(name="Elsewhere", programme=programme, partnership=programme.partnership)
    form = RiskFilter(data={"core_group": str(elsewhere.pk)}, partnership=partnership).form
    html = FIELD.render(Context({"field": form["core_group"]}))
    assert not form.is_valid()
    assert "is-invalid" in html and "invalid-feedback" in html and "not one of the available choices" in html


def test_every_list_page_writes_its_filter_through_the_tag(client, personas):
    client.force_login(personas.evaluator)  # the programme team
    for name in ("core_groups:commissions", "core_groups:risks", "procurement:project_list", "reports:list"):
        html = client.get(reverse(name) + "?core_group=abc&programme=abc").content.decode()
        assert 'class="form-label small mb-1"' in html, name


def test_a_page_chosen_by_ids_first_keeps_the_order_and_the_joins():
    from django.core.paginator import Paginator

    from core_groups.models import Commission
    from core_groups.selectors import commissions_queryset
    from foundation.paging import IdsFirstPaginator
    from tests.factories import CommissionFactory

    for name in ("Zeta", "Alpha", "Mu"):
        group = CoreGroupFactory(name=name)
        for n in range(3):
            CommissionFactory(core_group=group, title=f"{name} service {n}")
    qs = commissions_queryset().filter(title__contains="service").order_by("core_group__name", "-title")
    for number in (1, 2, 3, 99):
        ours, django = IdsFirstPaginator(qs, 4).get_page(number), Paginator(qs, 4).get_page(number)
        assert [c.pk for c in ours] == [c.pk for c in django] and ours.number == django.number
    with CaptureQueriesContext(connection) as ctx:
        page = IdsFirstPaginator(qs, 4, orphans=1).get_page(2)
        names = [c.core_group.programme.name for c in page]  # read with the page's joins: no query per row
    assert len(ctx.captured_queries) == 3 and len(names) == 5  # count, ids, rows; the orphan joins the last page
    assert Commission.objects.count() == 9
