"""Deleting commissions and risks, correcting spend, and the risk register's CSV export, through the pages."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from core_groups import services
from core_groups.exceptions import NotAllowed
from core_groups.models import Commission, Risk, SpendEntry
from foundation.editing import StaleEdit
from tests.factories import CommissionFactory, DeclaredInterestFactory, RiskFactory, SpendEntryFactory

pytestmark = pytest.mark.django_db


def delete_commission_url(c):
    return reverse("core_groups:commission_delete", args=[c.pk])


def delete_risk_url(r):
    return reverse("core_groups:risk_delete", args=[r.pk])


# --- Deleting commissions ----------------------------------------------------------------------------


def test_member_deletes_a_commission_after_a_confirmation_page_and_its_history_is_kept(client, personas, cymorth):
    client.force_login(personas.member)
    detail = client.get(reverse("core_groups:commission", args=[cymorth.commission.pk])).content.decode()
    assert delete_commission_url(cymorth.commission) in detail
    confirm = client.get(delete_commission_url(cymorth.commission))
    assert confirm.status_code == 200
    body = confirm.content.decode()
    assert "Delete the commission “Parenting support”?" in body and "Yes, delete this commission" in body
    assert Commission.objects.filter(pk=cymorth.commission.pk).exists(), "GET must not delete"

    response = client.post(delete_commission_url(cymorth.commission))
    assert response.status_code == 302
    assert response["Location"] == reverse("core_groups:group", args=[cymorth.group.pk])
    assert not Commission.objects.filter(pk=cymorth.commission.pk).exists()
    deleted = Commission.history.filter(id=cymorth.commission.pk, history_type="-").get()
    assert deleted.history_user == personas.member and deleted.title == "Parenting support"
    assert Commission.history.filter(id=cymorth.commission.pk).count() >= 2

    group_page = client.get(reverse("core_groups:group", args=[cymorth.group.pk])).content.decode()
    assert "Recently deleted" in group_page and "Commission “Parenting support”, deleted by" in group_page


def test_programme_team_deletes_any_groups_commission(client, personas, cymorth):
    other = CommissionFactory(core_group=cymorth.other_group, title="Playschemes")
    client.force_login(personas.evaluator)
    assert client.post(delete_commission_url(other)).status_code == 302
    assert not Commission.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("who", ["outsider", "provider", "body"])
def test_others_may_not_delete_a_commission_and_nothing_changes(client, personas, cymorth, who):
    # The provider persona is a member of the group: it may edit, but never remove, the work plan.
    client.force_login(getattr(personas, who))
    detail = client.get(reverse("core_groups:commission", args=[cymorth.commission.pk])).content.decode()
    assert delete_commission_url(cymorth.commission) not in detail
    assert client.get(delete_commission_url(cymorth.commission)).status_code == 403
    assert client.post(delete_commission_url(cymorth.commission)).status_code == 403
    assert Commission.objects.filter(pk=cymorth.commission.pk, title="Parenting support").exists()
    assert not Commission.history.filter(id=cymorth.commission.pk, history_type="-").exists()


def test_member_of_another_group_may_not_delete(client, personas, cymorth):
    other = CommissionFactory(core_group=cymorth.other_group, title="Playschemes")
    client.force_login(personas.member)
    assert client.post(delete_commission_url(other)).status_code == 403
    assert Commission.objects.filter(pk=other.pk).exists()


def test_signed_out_delete_goes_to_sign_in_and_deletes_nothing(client, cymorth):
    response = client.post(delete_commission_url(cymorth.commission))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Commission.objects.filter(pk=cymorth.commission.pk).exists()


def test_missing_commission_or_risk_delete_is_404(client, personas, cymorth):
    client.force_login(personas.evaluator)
    assert client.get(reverse("core_groups:commission_delete", args=[999999])).status_code == 404
    assert client.post(reverse("core_groups:risk_delete", args=[999999])).status_code == 404


def test_commission_with_spend_or_declared_interests_is_not_deleted(client, personas, cymorth):
    SpendEntryFactory(core_group=cymorth.group, commission=cymorth.commission, description="Sessions")
    DeclaredInterestFactory(user=personas.body, organisation=None, subject=cymorth.commission)
    client.force_login(personas.member)
    page = client.get(delete_commission_url(cymorth.commission)).content.decode()
    assert "cannot be deleted" in page and "1 spend entry is recorded against it" in page
    assert "1 declared interest names it" in page and "Yes, delete" not in page
    response = client.post(delete_commission_url(cymorth.commission))
    assert response.status_code == 400
    assert "Set its status to Ended instead" in response.content.decode()
    assert Commission.objects.filter(pk=cymorth.commission.pk).exists()
    assert SpendEntry.objects.filter(commission=cymorth.commission).count() == 1


def test_service_refuses_a_provider_even_as_a_member(personas, cymorth):
    with pytest.raises(NotAllowed):
        services.commission_delete(user=personas.provider, commission=cymorth.commission)
    with pytest.raises(NotAllowed):
        services.risk_delete(user=personas.provider, risk=cymorth.risk)
    assert Commission.objects.filter(pk=cymorth.commission.pk).exists()
    assert Risk.objects.filter(pk=cymorth.risk.pk).exists()


# --- Deleting risks ----------------------------------------------------------------------------------


def test_member_deletes_a_groups_risk_and_its_history_is_kept(client, personas, cymorth):
    client.force_login(personas.member)
    detail = client.get(reverse("core_groups:risk", args=[cymorth.risk.pk])).content.decode()
    assert delete_risk_url(cymorth.risk) in detail
    confirm = client.get(delete_risk_url(cymorth.risk)).content.decode()
    assert "Delete the risk “Core group capacity”?" in confirm and "set its status to Closed" in confirm
    response = client.post(delete_risk_url(cymorth.risk))
    assert response.status_code == 302
    assert response["Location"] == reverse("core_groups:group", args=[cymorth.group.pk])
    assert not Risk.objects.filter(pk=cymorth.risk.pk).exists()
    deleted = Risk.history.get(id=cymorth.risk.pk, history_type="-")
    assert deleted.history_user == personas.member


@pytest.mark.parametrize("who", ["outsider", "provider", "body"])
def test_others_may_not_delete_a_risk_and_nothing_changes(client, personas, cymorth, who):
    client.force_login(getattr(personas, who))
    assert (
        delete_risk_url(cymorth.risk)
        not in client.get(reverse("core_groups:risk", args=[cymorth.risk.pk])).content.decode()
    )
    assert client.get(delete_risk_url(cymorth.risk)).status_code == 403
    assert client.post(delete_risk_url(cymorth.risk)).status_code == 403
    assert Risk.objects.filter(pk=cymorth.risk.pk).exists()


def test_programme_risk_is_deleted_only_by_the_programme_team(client, personas, cymorth):
    risk = RiskFactory(core_group=None, programme=cymorth.programme, title="Funding cut")
    client.force_login(personas.member)
    assert client.post(delete_risk_url(risk)).status_code == 403
    assert Risk.objects.filter(pk=risk.pk).exists()
    client.force_login(personas.evaluator)
    response = client.post(delete_risk_url(risk))
    assert response.status_code == 302
    assert response["Location"] == reverse("core_groups:programme", args=[cymorth.programme.pk])
    assert not Risk.objects.filter(pk=risk.pk).exists()


# --- Correcting spend --------------------------------------------------------------------------------


def spend_url(entry):
    return reverse("core_groups:spend_edit", args=[entry.pk])


def test_member_corrects_a_spend_entry_from_the_group_page(client, personas, cymorth):
    entry = SpendEntry.objects.get(core_group=cymorth.group)
    client.force_login(personas.member)
    group_page = client.get(reverse("core_groups:group", args=[cymorth.group.pk]) + "?year=2010").content.decode()
    assert spend_url(entry) in group_page
    form = client.get(spend_url(entry)).content.decode()
    assert 'value="123456.78"' in form and 'name="version"' in form
    response = client.post(
        spend_url(entry),
        {
            "spent_on": "2010-07-01",
            "amount": "123000.00",
            "description": "Quarter 1 payments (corrected)",
            "version": 1,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.amount == Decimal("123000.00") and entry.version == 2
    assert entry.history.count() == 2


def test_second_spend_editor_is_told_and_nothing_is_overwritten(client, personas, cymorth):
    entry = SpendEntry.objects.get(core_group=cymorth.group)
    data = {"spent_on": "2010-06-01", "description": "Quarter 1 payments", "version": entry.version}
    client.force_login(personas.member)
    assert client.post(spend_url(entry), {**data, "amount": "100.00"}).status_code == 302
    client.force_login(personas.evaluator)
    second = client.post(spend_url(entry), {**data, "amount": "200.00"})
    assert second.status_code == 200
    body = second.content.decode()
    assert "while you were editing" in body and 'value="200.00"' in body
    entry.refresh_from_db()
    assert entry.amount == Decimal("100.00")


@pytest.mark.parametrize(
    ("amount", "message"), [("-5", "cannot be negative"), ("abc", "Enter a number"), ("0", "more than £0")]
)
def test_bad_corrected_amount_is_refused_beside_the_field(client, personas, cymorth, amount, message):
    entry = SpendEntry.objects.get(core_group=cymorth.group)
    client.force_login(personas.member)
    response = client.post(
        spend_url(entry), {"spent_on": "2010-06-01", "amount": amount, "description": "Changed", "version": 1}
    )
    body = response.content.decode()
    assert 'id="error_1_id_amount"' in body and message in body and 'value="Changed"' in body
    entry.refresh_from_db()
    assert entry.amount == Decimal("123456.78") and entry.description == "Quarter 1 payments"


def test_spend_moved_to_a_year_without_allocation_is_refused(client, personas, cymorth):
    entry = SpendEntry.objects.get(core_group=cymorth.group)
    client.force_login(personas.member)
    response = client.post(
        spend_url(entry), {"spent_on": "2013-06-01", "amount": "10.00", "description": "Moved", "version": 1}
    )
    assert "no allocation for 2013-14" in response.content.decode()
    entry.refresh_from_db()
    assert entry.spent_on.year == 2010


def test_outsider_and_other_members_may_not_edit_spend(client, personas, cymorth):
    entry = SpendEntry.objects.get(core_group=cymorth.group)
    data = {"spent_on": "2010-06-01", "amount": "1.00", "description": "Sneaky", "version": 1}
    client.force_login(personas.outsider)
    assert client.get(spend_url(entry)).status_code == 403
    assert client.post(spend_url(entry), data).status_code == 403
    other = SpendEntryFactory(core_group=cymorth.other_group, description="Other group's spend")
    from tests.factories import AllocationFactory

    AllocationFactory(core_group=cymorth.other_group, financial_year=2010)
    client.force_login(personas.member)
    assert client.post(spend_url(other), data).status_code == 403
    entry.refresh_from_db()
    other.refresh_from_db()
    assert entry.description == "Quarter 1 payments" and other.description == "Other group's spend"


def test_provider_gets_a_404_for_spend_and_no_edit_links(client, personas, cymorth):
    entry = SpendEntry.objects.get(core_group=cymorth.group)
    client.force_login(personas.provider)
    assert client.get(spend_url(entry)).status_code == 404
    response = client.post(spend_url(entry), {"spent_on": "2010-06-01", "amount": "1.00", "description": "x"})
    assert response.status_code == 404
    assert spend_url(entry) not in client.get(reverse("core_groups:group", args=[cymorth.group.pk])).content.decode()
    entry.refresh_from_db()
    assert entry.amount == Decimal("123456.78")


# --- Risk register CSV -------------------------------------------------------------------------------


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_risk_csv_applies_the_pages_filters_and_order(client, personas, cymorth):
    RiskFactory(core_group=cymorth.group, title="Low risk", impact=1, likelihood=2)
    RiskFactory(core_group=cymorth.other_group, title="Other group's risk", impact=5, likelihood=5)
    RiskFactory(core_group=cymorth.group, title="Closed risk", impact=3, likelihood=3, status="closed")
    client.force_login(personas.provider)
    query = f"?core_group={cymorth.group.pk}&status=open&ordering=score"
    page = client.get(reverse("core_groups:risks") + query).content.decode()
    assert reverse("core_groups:risks_csv") + "?" + query[1:].replace("&", "&amp;") in page
    response = client.get(reverse("core_groups:risks_csv") + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="risk-register.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:4] == ["Programme", "Core group", "Scope", "Risk"]
    assert [r[3] for r in rows[1:]] == ["Low risk", "Core group capacity"]
    capacity = rows[2]
    assert capacity[5:9] == ["4", "4", "16", "Red"]
    assert not any("£" in cell for row in rows for cell in row)


def test_risk_csv_unfiltered_has_every_risk_and_neutralises_formulas(client, personas, cymorth):
    RiskFactory(core_group=cymorth.other_group, title="=HYPERLINK(evil)", impact=1, likelihood=1)
    client.force_login(personas.member)
    rows = read_csv(client.get(reverse("core_groups:risks_csv")))
    titles = [r[3] for r in rows[1:]]
    assert "Core group capacity" in titles and "'=HYPERLINK(evil)" in titles
    assert len(rows) - 1 == Risk.objects.count()


def test_risk_csv_needs_sign_in(client, cymorth):
    response = client.get(reverse("core_groups:risks_csv"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- The admin refuses a stale edit too --------------------------------------------------------------


def test_admin_edit_of_a_risk_counts_the_version_and_refuses_a_stale_one(client, personas, cymorth):
    risk = cymorth.risk
    url = reverse("admin:core_groups_risk_change", args=[risk.pk])
    data = {
        "programme": risk.programme_id,
        "core_group": risk.core_group_id,
        "title": "Changed in the admin",
        "description": risk.description,
        "impact": 4,
        "likelihood": 4,
        "mitigation": risk.mitigation,
        "owner_role": "",
        "status": "open",
        "expected_version": risk.version,
        "_save": "Save",
    }
    client.force_login(personas.admin)
    assert 'name="expected_version"' in client.get(url).content.decode()
    assert client.post(url, data).status_code == 302
    risk.refresh_from_db()
    assert risk.title == "Changed in the admin" and risk.version == 2
    # A page editor who opened version 1 is now told, not allowed to overwrite the admin's change.
    with pytest.raises(StaleEdit):
        services.risk_update(user=personas.member, risk=risk, expected_version=1, title="Page edit")
    stale = client.post(url, {**data, "title": "Stale admin edit"})
    assert stale.status_code == 200 and "while you were editing it" in stale.content.decode()
    risk.refresh_from_db()
    assert risk.title == "Changed in the admin"


def test_declarations_register_filters_active_only(client, personas, cymorth):
    import datetime as dt

    DeclaredInterestFactory(user=personas.member, description="Still a trustee")
    DeclaredInterestFactory(
        user=personas.member,
        description="Used to be a trustee",
        declared_on=dt.date(2009, 1, 1),
        withdrawn_on=dt.date(2009, 6, 1),
    )
    client.force_login(personas.evaluator)
    url = reverse("core_groups:declarations_register")
    everything = client.get(url).content.decode()
    assert "Still a trustee" in everything and "Used to be a trustee" in everything
    assert ">All declarations<" in everything and ">Active only<" in everything
    active = client.get(url + "?active=true").content.decode()
    assert "Still a trustee" in active and "Used to be a trustee" not in active
