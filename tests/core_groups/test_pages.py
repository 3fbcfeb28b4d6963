"""The pages, through the test client, with member, outsider, provider, programme-team and JCG personas."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core_groups.models import Allocation, Commission, DeclaredInterest, Risk, SpendEntry
from tests.factories import (
    AllocationFactory,
    CommissionFactory,
    CoreGroupFactory,
    DeclaredInterestFactory,
    OrganisationFactory,
    RiskFactory,
)

pytestmark = pytest.mark.django_db

MONEY_STRINGS = ["987,654.32", "123,456.78", "45,678.91", "864,197.54", "987654.32", "45678.91"]


def client_for(client, user):
    client.force_login(user)
    return client


def urls(c):
    return {
        "programme": reverse("core_groups:programme", args=[c.programme.pk]) + "?year=2010",
        "group": reverse("core_groups:group", args=[c.group.pk]) + "?year=2010",
        "commission": reverse("core_groups:commission", args=[c.commission.pk]),
        "list": reverse("core_groups:commissions"),
        "csv": reverse("core_groups:commissions_csv"),
        "home": reverse("home"),
    }


def test_member_sees_the_years_money(client, personas, cymorth):
    client_for(client, personas.member)
    body = client.get(urls(cymorth)["group"]).content.decode()
    assert "£987,654.32" in body and "£123,456.78" in body and "£864,197.54" in body
    programme = client.get(urls(cymorth)["programme"]).content.decode()
    assert 'role="img"' in programme and "<title>Allocation against spend, 2010-11</title>" in programme


@pytest.mark.parametrize("page", ["programme", "group", "commission", "list", "csv", "home"])
def test_provider_never_sees_money(client, personas, cymorth, page):
    client_for(client, personas.provider)
    response = client.get(urls(cymorth)[page])
    assert response.status_code == 200
    body = response.content.decode()
    for amount in MONEY_STRINGS:
        assert amount not in body, f"{amount} shown to a provider on {page}"
    assert "Annual value" not in body
    assert "Allocated" not in body


def test_provider_does_not_see_value_changes_in_history(client, personas, cymorth):
    cymorth.commission.annual_value = Decimal("11111.11")
    cymorth.commission.save()
    client_for(client, personas.provider)
    body = client.get(urls(cymorth)["commission"]).content.decode()
    assert "11111.11" not in body and "45678.91" not in body
    client.force_login(personas.member)
    assert "11111.11" in client.get(urls(cymorth)["commission"]).content.decode()


def test_provider_cannot_sort_the_work_plan_by_value(client, personas, cymorth):
    CommissionFactory(core_group=cymorth.group, title="Aardvark", annual_value=Decimal("1.00"))
    client_for(client, personas.provider)
    body = client.get(urls(cymorth)["list"] + "?ordering=value").content.decode()
    assert body.index("Aardvark") < body.index("Parenting support")
    assert "Annual value" not in body


def test_provider_edit_form_has_no_value_field(client, personas, cymorth):
    client_for(client, personas.provider)
    body = client.get(reverse("core_groups:commission_edit", args=[cymorth.commission.pk])).content.decode()
    assert 'name="annual_value"' not in body
    assert 'name="title"' in body


def test_outsider_reads_but_cannot_edit(client, personas, cymorth):
    client_for(client, personas.outsider)
    assert client.get(urls(cymorth)["group"]).status_code == 200
    add = reverse("core_groups:commission_add", args=[cymorth.group.pk])
    assert client.get(add).status_code == 403
    assert client.post(add, {"title": "Sneaky", "phase": "phase_1", "route": "open_tender"}).status_code == 403
    assert not Commission.objects.filter(title="Sneaky").exists()
    assert client.get(reverse("core_groups:commission_edit", args=[cymorth.commission.pk])).status_code == 403
    assert client.get(reverse("core_groups:risk_edit", args=[cymorth.risk.pk])).status_code == 403
    assert client.get(reverse("core_groups:spend_add", args=[cymorth.group.pk])).status_code == 403


def test_member_cannot_edit_another_groups_plan(client, personas, cymorth):
    client_for(client, personas.member)
    assert client.get(reverse("core_groups:commission_add", args=[cymorth.other_group.pk])).status_code == 403
    assert client.get(reverse("core_groups:commission_add", args=[cymorth.group.pk])).status_code == 200


def test_programme_team_edits_every_group(client, personas, cymorth):
    client_for(client, personas.evaluator)
    assert client.get(reverse("core_groups:commission_add", args=[cymorth.other_group.pk])).status_code == 200
    assert client.get(reverse("core_groups:risk_edit", args=[cymorth.risk.pk])).status_code == 200


def test_jcg_sets_allocations_members_do_not(client, personas, cymorth):
    url = reverse("core_groups:allocation_set", args=[cymorth.group.pk])
    client_for(client, personas.member)
    assert client.get(url).status_code == 403
    client.force_login(personas.body)
    response = client.post(url, {"financial_year": "2011", "amount": "1200000.00"})
    assert response.status_code == 302
    assert Allocation.objects.get(core_group=cymorth.group, financial_year=2011).amount == Decimal("1200000.00")


def test_missing_records_are_404(client, personas, cymorth):
    client_for(client, personas.member)
    for name in ["group", "commission", "risk", "commission_edit", "risk_edit", "programme"]:
        assert client.get(reverse(f"core_groups:{name}", args=[999999])).status_code == 404


def test_signed_out_users_are_sent_to_sign_in(client, cymorth):
    response = client.get(urls(cymorth)["group"])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_declarations_register_is_for_the_programme_team(client, personas, cymorth):
    DeclaredInterestFactory(user=personas.member, description="Trustee of Asist")
    url = reverse("core_groups:declarations_register")
    for persona in ["member", "provider", "outsider"]:
        client.force_login(personas[persona])
        assert client.get(url).status_code == 403
    client.force_login(personas.evaluator)
    body = client.get(url).content.decode()
    assert "Trustee of Asist" in body


def test_member_declares_and_withdraws_an_interest(client, personas, cymorth):
    client_for(client, personas.member)
    url = reverse("core_groups:declarations")
    response = client.post(url, {"commission": cymorth.commission.pk, "description": "My sister runs it."})
    assert response.status_code == 302
    interest = DeclaredInterest.objects.get(user=personas.member)
    assert interest.subject == cymorth.commission
    client.force_login(personas.outsider)
    assert client.post(reverse("core_groups:declaration_withdraw", args=[interest.pk])).status_code == 404
    client.force_login(personas.member)
    client.post(reverse("core_groups:declaration_withdraw", args=[interest.pk]))
    interest.refresh_from_db()
    assert interest.withdrawn_on is not None


def test_declaring_nothing_is_refused_beside_the_field(client, personas, cymorth):
    client_for(client, personas.member)
    response = client.post(reverse("core_groups:declarations"), {"description": "Something"})
    assert response.status_code == 200
    assert 'id="error_1_id_organisation"' in response.content.decode()
    assert not DeclaredInterest.objects.exists()


# --- bad input: the form comes back with what was typed and the error beside the field -------------------


def assert_error_beside(response, field, text, status=200):
    """The form comes back with the error beside the field: 200 from a form page; 400 from the decision forms
    on a work-plan item's page (commissioning views answer those with the item's page again, as a 400)."""
    body = response.content.decode()
    assert response.status_code == status
    assert f'id="error_1_id_{field}"' in body, f"no error beside {field}"
    assert text in body, body[body.find("invalid-feedback") - 200 : body.find("invalid-feedback") + 400]


def commission_data(**overrides):
    data = {"title": "Holiday play", "phase": "phase_1", "route": "open_tender", "status": "scoping"}
    data.update(overrides)
    return data


def test_negative_value_is_refused(client, personas, cymorth):
    client_for(client, personas.member)
    response = client.post(
        reverse("core_groups:commission_add", args=[cymorth.group.pk]), commission_data(annual_value="-10")
    )
    assert_error_beside(response, "annual_value", "cannot be negative")
    assert 'value="Holiday play"' in response.content.decode()
    assert not Commission.objects.filter(title="Holiday play").exists()


def test_non_numeric_value_is_refused(client, personas, cymorth):
    client_for(client, personas.member)
    response = client.post(
        reverse("core_groups:commission_add", args=[cymorth.group.pk]), commission_data(annual_value="lots")
    )
    assert_error_beside(response, "annual_value", "Enter a number")
    assert not Commission.objects.filter(title="Holiday play").exists()


def test_single_tender_without_business_case_is_refused(client, personas, cymorth):
    client_for(client, personas.member)
    response = client.post(
        reverse("core_groups:commission_add", args=[cymorth.group.pk]), commission_data(route="single_tender")
    )
    assert_error_beside(response, "business_case", "needs a business case")
    assert not Commission.objects.filter(title="Holiday play").exists()


def test_dates_out_of_order_are_refused(client, personas, cymorth):
    client_for(client, personas.member)
    response = client.post(
        reverse("core_groups:commission_add", args=[cymorth.group.pk]),
        commission_data(indicative_start="2011-04-01", indicative_end="2010-04-01"),
    )
    assert response.status_code == 200
    assert "cannot be before the start" in response.content.decode()
    assert not Commission.objects.filter(title="Holiday play").exists()


@pytest.mark.parametrize(
    ("amount", "message"), [("-5", "cannot be negative"), ("abc", "Enter a number"), ("0", "more than £0")]
)
def test_bad_spend_amount_is_refused(client, personas, cymorth, amount, message):
    client_for(client, personas.member)
    before = SpendEntry.objects.count()
    response = client.post(
        reverse("core_groups:spend_add", args=[cymorth.group.pk]),
        {"spent_on": "2010-05-01", "amount": amount, "description": "Room hire"},
    )
    assert_error_beside(response, "amount", message)
    assert 'value="Room hire"' in response.content.decode()
    assert SpendEntry.objects.count() == before


def test_spend_with_no_allocation_is_refused(client, personas, cymorth):
    client_for(client, personas.member)
    response = client.post(
        reverse("core_groups:spend_add", args=[cymorth.group.pk]),
        {"spent_on": "2012-05-01", "amount": "10.00", "description": "Room hire"},
    )
    assert_error_beside(response, "spent_on", "no allocation for 2012-13")
    assert not SpendEntry.objects.filter(description="Room hire").exists()


def test_spend_is_recorded(client, personas, cymorth):
    client_for(client, personas.member)
    response = client.post(
        reverse("core_groups:spend_add", args=[cymorth.group.pk]),
        {"spent_on": "2010-05-01", "amount": "10.50", "description": "Room hire", "commission": cymorth.commission.pk},
    )
    assert response.status_code == 302
    assert SpendEntry.objects.get(description="Room hire").amount == Decimal("10.50")


def test_second_allocation_same_year_is_refused_beside_the_year(client, personas, cymorth):
    client_for(client, personas.body)
    response = client.post(
        reverse("core_groups:allocation_set", args=[cymorth.group.pk]), {"financial_year": "2010", "amount": "5.00"}
    )
    assert_error_beside(response, "financial_year", "already has an allocation")
    assert Allocation.objects.get(core_group=cymorth.group).amount == Decimal("987654.32")


def test_negative_allocation_is_refused(client, personas, cymorth):
    client_for(client, personas.body)
    response = client.post(
        reverse("core_groups:allocation_set", args=[cymorth.group.pk]), {"financial_year": "2011", "amount": "-1"}
    )
    assert_error_beside(response, "amount", "cannot be negative")
    assert not Allocation.objects.filter(financial_year=2011).exists()


def test_approval_by_a_conflicted_jcg_member_is_refused_beside_the_field(client, personas, cymorth):
    provider = OrganisationFactory(name="Asist")
    Commission.objects.filter(pk=cymorth.commission.pk).update(provider=provider)
    DeclaredInterestFactory(user=personas.body, organisation=provider, declared_on=dt.date(2010, 1, 1))
    client_for(client, personas.body)
    page = client.get(urls(cymorth)["commission"]).content.decode()
    assert "declared an interest in Asist" in page  # told before they try
    response = client.post(
        reverse("core_groups:commission_specification", args=[cymorth.commission.pk]),
        {"specification_state": "approved", "version": cymorth.commission.version},
    )
    assert_error_beside(response, "specification_state", "declared an interest in Asist", status=400)
    cymorth.commission.refresh_from_db()
    assert cymorth.commission.specification_state == "draft"


def test_jcg_member_approves_a_specification_on_the_page(client, personas, cymorth):
    client_for(client, personas.body)
    response = client.post(
        reverse("core_groups:commission_specification", args=[cymorth.commission.pk]),
        {"specification_state": "approved", "version": cymorth.commission.version, "interest": "no_interest"},
    )
    assert response.status_code == 302
    cymorth.commission.refresh_from_db()
    assert cymorth.commission.specification_decided_by == personas.body


def test_business_case_decision_on_the_page(client, personas, cymorth):
    Commission.objects.filter(pk=cymorth.commission.pk).update(route="single_tender", business_case="One provider.")
    client_for(client, personas.body)
    response = client.post(
        reverse("core_groups:commission_business_case", args=[cymorth.commission.pk]),
        {
            "business_case_decision": "approved",
            "business_case_decided_on": "2010-01-20",
            "version": 1,
            "interest": "no_interest",
        },
    )
    assert response.status_code == 302
    cymorth.commission.refresh_from_db()
    assert cymorth.commission.get_business_case_decision_display() == "Approved by the JCG"


def test_second_editor_is_told_on_the_page(client, personas, cymorth):
    url = reverse("core_groups:commission_edit", args=[cymorth.commission.pk])
    client_for(client, personas.member)
    stale = cymorth.commission.version
    first = client.post(url, commission_data(title="First edit", version=stale))
    assert first.status_code == 302
    client.force_login(personas.evaluator)
    second = client.post(url, commission_data(title="Second edit", version=stale))
    assert second.status_code == 200
    body = second.content.decode()
    assert "while you were editing" in body and 'value="Second edit"' in body
    cymorth.commission.refresh_from_db()
    assert cymorth.commission.title == "First edit"


def test_risk_page_shows_its_history(client, personas, cymorth):
    client_for(client, personas.member)
    url = reverse("core_groups:risk_edit", args=[cymorth.risk.pk])
    data = {
        "title": cymorth.risk.title,
        "description": "Meetings take too long.",
        "impact": "4",
        "likelihood": "2",
        "status": "open",
        "version": cymorth.risk.version,
    }
    assert client.post(url, data).status_code == 302
    body = client.get(reverse("core_groups:risk", args=[cymorth.risk.pk])).content.decode()
    assert "History of changes" in body and "Likelihood" in body and "“4” → “2”" in body
    assert Risk.objects.get(pk=cymorth.risk.pk).score == 8


# --- lists ----------------------------------------------------------------------------------------------


def test_work_plan_filters_sorts_and_paginates(client, personas, cymorth):
    for n in range(30):
        CommissionFactory(core_group=cymorth.other_group, title=f"Play scheme {n:02d}", phase="phase_2")
    client_for(client, personas.member)
    url = reverse("core_groups:commissions")
    page1 = client.get(url).content.decode()
    assert "Page 1 of 2" in page1
    phase1 = client.get(url + "?phase=phase_1").content.decode()
    assert "Parenting support" in phase1 and "Play scheme" not in phase1
    by_group = client.get(url + f"?core_group={cymorth.group.pk}").content.decode()
    assert "Play scheme" not in by_group
    desc = client.get(url + "?ordering=-title&phase=phase_2").content.decode()
    assert desc.index("Play scheme 29") < desc.index("Play scheme 28")
    empty = client.get(url + "?q=nothing-like-this").content.decode()
    assert "No commissions match" in empty


def test_work_plan_csv_for_a_member_includes_values(client, personas, cymorth):
    client_for(client, personas.member)
    response = client.get(reverse("core_groups:commissions_csv") + f"?core_group={cymorth.group.pk}")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].endswith("Annual value (GBP)")
    assert "Parenting support" in lines[1] and lines[1].endswith("45678.91")


def test_csv_neutralises_formulas(client, personas, cymorth):
    CommissionFactory(core_group=cymorth.group, title="=HYPERLINK(1)")
    client_for(client, personas.member)
    body = client.get(reverse("core_groups:commissions_csv")).content.decode()
    assert "'=HYPERLINK(1)" in body


def test_risk_register_has_a_heat_map_and_filters(client, personas, cymorth):
    client_for(client, personas.provider)
    response = client.get(reverse("core_groups:risks") + "?rating=red")
    body = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in body
    assert "Core group capacity" in body
    assert "Core group capacity" not in client.get(reverse("core_groups:risks") + "?rating=green").content.decode()


def test_dashboard_panel_lists_my_groups(client, personas, cymorth):
    client_for(client, personas.member)
    body = client.get(reverse("home")).content.decode()
    assert "Your core groups" in body and "Family Support" in body
    assert "Core groups" in body  # navigation item


def test_page_query_counts_stay_flat_as_groups_and_commissions_grow(client, personas, cymorth):
    client_for(client, personas.member)
    page_urls = [
        urls(cymorth)["programme"],
        urls(cymorth)["group"],
        urls(cymorth)["list"],
        reverse("core_groups:risks"),
    ]
    # One request each first: content types and the person's partnership roles are cached per process.
    for url in page_urls:
        client.get(url)
    counts = []
    for _round in range(2):
        for n in range(5):
            g = CoreGroupFactory(programme=cymorth.programme)
            AllocationFactory(core_group=g)
            CommissionFactory(core_group=cymorth.group, title=f"More {_round}{n}")
            RiskFactory(core_group=g)
        row = []
        for url in page_urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            row.append(len(ctx.captured_queries))
        counts.append(row)
    assert counts[0] == counts[1], counts
    assert max(counts[0]) <= 25, counts
    print("queries per page (programme, group, work plan, risks):", counts[0])


def test_member_updates_the_forecast_and_a_negative_one_is_refused(client, personas, cymorth):
    url = reverse("core_groups:forecast", args=[cymorth.group.pk, 2010])
    client_for(client, personas.member)
    version = cymorth.allocation.version
    bad = client.post(url, {"forecast_outturn": "-1", "version": version})
    assert_error_beside(bad, "forecast_outturn", "cannot be negative")
    assert client.post(url, {"forecast_outturn": "950000.00", "version": version}).status_code == 302
    cymorth.allocation.refresh_from_db()
    assert cymorth.allocation.forecast_outturn == Decimal("950000.00")
    client.force_login(personas.provider)
    assert client.get(url).status_code == 403
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 403
    assert client.get(reverse("core_groups:forecast", args=[cymorth.group.pk, 2030])).status_code == 404
