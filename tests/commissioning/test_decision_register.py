"""The decision register (issue 13 item 6): every decision of the partnership, filtered, as CSV, public edition."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core_groups import roles, services
from core_groups.models import Commission
from growth_bids.models import Decision as FundingDecision
from growth_bids.models import WindowMove
from tests.commissioning.report_factories import pack_round
from tests.factories import (
    CommissionFactory,
    CoreGroupFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("decision_register")


def _approve(commission, user, on, meeting="JCG", minute="7.2"):
    return services.business_case_decide(
        user=user,
        commission=commission,
        decision="approved",
        decided_on=on,
        meeting=meeting,
        minute=minute,
        expected_version=Commission.objects.get(pk=commission.pk).version,
    )


@pytest.fixture
def decided(personas):
    group = CoreGroupFactory(name="Family Support")
    case = CommissionFactory(
        core_group=group,
        title="Young carers service",
        route=Commission.Route.SINGLE_TENDER,
        business_case="Only one provider can.",
        annual_value=Decimal("180000"),
    )
    _approve(case, personas.body, dt.date(2010, 1, 20), meeting="JCG, 20 January 2010")
    _approve(case, personas.body, dt.date(2010, 3, 3), meeting="JCG, 3 March 2010", minute="4.1")
    funding_round = pack_round(evaluator=personas.evaluator)
    bid = funding_round.bids.order_by("reference").first()
    FundingDecision.objects.create(
        bid=bid,
        funding_round=funding_round,
        outcome="funded",
        amount=Decimal("123456"),
        meeting_date=dt.date(2010, 9, 20),
        minute_ref="B/12",
    )
    WindowMove.objects.create(
        funding_round=funding_round,
        moved_from=timezone.now(),
        moved_to=timezone.now() + dt.timedelta(days=7),
        reason="Partners asked for a week more.",
        moved_by=personas.evaluator,
    )
    return case, bid


def test_lists_every_decision_newest_first_with_superseded_marked(client, personas, decided):
    case, bid = decided
    client.force_login(personas.body)
    html = client.get(URL).content.decode()
    assert "Young carers service" in html and bid.reference in html and "Partners asked for a week more." in html
    assert html.index("3 Mar 2010") < html.index("20 Jan 2010")
    assert "Superseded" in html
    assert "£123,456.00" in html and "£180,000.00" in html
    html = client.get(URL, {"sort": "date"}).content.decode()
    assert html.index("20 Jan 2010") < html.index("3 Mar 2010")


@pytest.mark.parametrize(
    "params, present, absent",
    [
        ({"kind": "funding"}, ["B/12"], ["Young carers service", "Partners asked"]),
        ({"kind": "business_case"}, ["Young carers service"], ["B/12", "Partners asked"]),
        ({"kind": "window_move"}, ["Partners asked"], ["Young carers service", "B/12"]),
        ({"outcome": "funded"}, ["B/12"], ["Young carers service"]),
        ({"meeting": "3 march"}, ["3 Mar 2010"], ["20 Jan 2010", "B/12"]),
        ({"body": "programme team"}, ["Partners asked"], ["B/12", "Young carers service"]),
        ({"date_from": "2010-01-01", "date_to": "2010-01-31"}, ["20 Jan 2010"], ["3 Mar 2010", "B/12"]),
    ],
)
def test_filters(client, personas, decided, params, present, absent):
    client.force_login(personas.evaluator)
    html = client.get(URL, params).content.decode()
    for text in present:
        assert text in html
    for text in absent:
        assert text not in html


def test_bad_dates_redisplay_with_an_error_not_a_500(client, personas, decided):
    client.force_login(personas.body)
    response = client.get(URL, {"date_from": "2010-05-01", "date_to": "2010-01-01"})
    assert response.status_code == 200
    assert "The end of the date range is before its start." in response.content.decode()
    response = client.get(URL, {"date_from": "not a date", "kind": "nonsense"})
    assert response.status_code == 200 and "Enter a valid date." in response.content.decode()


def test_empty_state_and_pagination(client, personas):
    client.force_login(personas.body)
    html = client.get(URL).content.decode()
    assert "No decision has been recorded in this partnership yet." in html
    group = CoreGroupFactory(name="Family Support")
    for n in range(27):
        case = CommissionFactory(
            core_group=group, title=f"Case {n}", route=Commission.Route.SINGLE_TENDER, business_case="One."
        )
        _approve(case, personas.body, dt.date(2010, 1, 1) + dt.timedelta(days=n))
    html = client.get(URL).content.decode()
    assert "Page 1 of 2" in html and ">27<" in html
    assert "Case 26" in html and "Case 0 (" not in html
    assert "Case 0 (" in client.get(URL, {"page": 2}).content.decode()
    html = client.get(URL, {"kind": "funding"}).content.decode()
    assert "No decision matches these filters." in html


def test_csv_full_and_public_editions(client, personas, decided):
    client.force_login(personas.evaluator)
    response = client.get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert "Amount (£)" in rows[0] and len(rows) == 1 + 4
    assert any("123456" in cell for row in rows for cell in row)
    response = client.get(URL, {"format": "csv", "edition": "public", "kind": "funding"})
    text = response.content.decode()
    assert "Amount" not in text and "123456" not in text and "B/12" in text
    html = client.get(URL, {"edition": "public"}).content.decode()
    assert "Public edition" in html and "£123,456" not in html and "£180,000" not in html


def test_another_partnerships_decisions_never_appear(client, personas, decided):
    other = PartnershipFactory(short_name="elsewhere", name="Elsewhere partnership")
    group = CoreGroupFactory(name="Elsewhere group", programme=ProgrammeFactory(name="Elsewhere", partnership=other))
    stranger = UserFactory(
        username="elsewhere_body",
        organisation=OrganisationFactory(name="Elsewhere Council", partnerships=[other]),
        partnership=other,
        roles=[roles.COMMISSIONING_BODY],
    )
    away = CommissionFactory(
        core_group=group, title="Elsewhere case", route=Commission.Route.SINGLE_TENDER, business_case="One."
    )
    _approve(away, stranger, dt.date(2010, 2, 2))
    client.force_login(stranger)
    html = client.get(URL).content.decode()
    assert "Elsewhere case" in html
    assert "Young carers service" not in html and "B/12" not in html and "Partners asked" not in html
    csv_text = client.get(URL, {"format": "csv"}).content.decode()
    assert "Young carers" not in csv_text and "B/12" not in csv_text
    client.force_login(personas.body)
    assert "Elsewhere case" not in client.get(URL).content.decode()


def test_only_the_team_the_body_and_administrators_see_it(client, personas):
    for persona, status in (
        ("member", 403),
        ("provider", 403),
        ("officer", 403),
        ("outsider", 403),
        ("evaluator", 200),
        ("body", 200),
        ("admin", 200),
    ):
        client.force_login(personas[persona])
        assert client.get(URL).status_code == status, persona
        assert client.get(URL, {"format": "csv"}).status_code == status, persona


def test_navigation_shows_it_to_deciders(client, personas):
    client.force_login(personas.body)
    assert "Decision register" in client.get(reverse("home")).content.decode()
    client.force_login(personas.member)
    assert "Decision register" not in client.get(reverse("home")).content.decode()
