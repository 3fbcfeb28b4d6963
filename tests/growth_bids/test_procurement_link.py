"""Issue 5 item 8: a funded growth bid becomes a procurement project with its timetable, linked both ways."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from growth_bids import permissions, services
from growth_bids.exceptions import Conflict
from growth_bids.models import Bid
from procurement import services as procurement_services
from procurement.models import ProcurementProject, TimetableTemplate
from tests.growth_bids.helpers import close_round, make_round, moderate, submitted_bid

pytestmark = pytest.mark.django_db

LEEDS_TEMPLATE = "Open procedure, light-touch services"
START = dt.date(2011, 4, 1)


@pytest.fixture(autouse=True)
def _templates():
    # A transactional test elsewhere may have flushed what the data migration installed.
    procurement_services.templates_install()


@pytest.fixture
def decided(personas):
    """Bid A (£200,000, supported by Ashford) funded; bid B in reserve; the round still with the Body."""
    funding_round = make_round()
    a = submitted_bid(
        funding_round,
        personas.officer,
        supporters=[(personas.other, personas.other_officer)],
        annual_amount=Decimal("200000"),
        title="Supported lodgings for young people leaving care",
    )
    b = submitted_bid(funding_round, personas.officer, annual_amount=Decimal("180000"), title="Floating support")
    close_round(funding_round)
    for bid in (a, b):
        moderate(bid, personas.evaluator)
    services.round_mark_evaluated(funding_round=funding_round)
    for bid, outcome, amount in ((a, "funded", Decimal("195000")), (b, "reserve", None)):
        services.decision_record(
            reason="As minuted by the Body.",
            bid=bid,
            by=personas.body,
            outcome=outcome,
            amount=amount,
            meeting_date=dt.date(2010, 9, 20),
            minute_ref="7",
        )
    return Bid.objects.get(pk=a.pk), Bid.objects.get(pk=b.pk)


def template():
    return TimetableTemplate.objects.get(name=LEEDS_TEMPLATE)


def convert(bid, by, **kwargs):
    kwargs.setdefault("template", template())
    kwargs.setdefault("contract_start", START)
    return services.bid_to_procurement_project(bid=bid, by=by, **kwargs)


# ---------------------------------------------------------------- the service


def test_a_funded_bid_becomes_a_project_with_its_partners_value_and_timetable(personas, decided):
    bid, _reserve = decided
    project = convert(bid, personas.evaluator, project_manager=personas.evaluator)

    assert project.reference == bid.reference
    assert project.title == "Supported lodgings for young people leaving care"
    assert project.lead_organisation == personas.home
    assert project.estimated_annual_value == Decimal("195000.00")  # the amount funded, not the amount asked
    assert project.procedure == template().procedure and project.regime == template().regime
    assert project.contract_start == START and project.project_manager == personas.evaluator
    partners = {link.organisation: link.annual_contribution for link in project.partner_links.all()}
    assert partners == {personas.home: Decimal("0.00"), personas.other: Decimal("0.00")}
    assert bid.reference in project.description and "£195,000.00" in project.description
    timetable = project.timetables.get(is_current=True)
    assert timetable.number == 1 and timetable.tasks.count() > 0
    assert timetable.tasks.filter(due__gt=START).count() < timetable.tasks.count()
    # Linked both ways.
    bid.refresh_from_db()
    assert bid.procurement_project == project
    assert list(project.growth_bids.all()) == [bid]
    assert bid.history.first().procurement_project_id == project.pk


def test_a_bid_without_a_title_takes_its_title_from_the_summary(personas, decided):
    bid, _ = decided
    Bid.objects.filter(pk=bid.pk).update(title="", summary="Refuge outreach\nfor women at risk.")
    project = convert(Bid.objects.get(pk=bid.pk), personas.evaluator)
    assert project.title == "Refuge outreach for women at risk."


def test_a_bid_that_is_not_funded_is_refused(personas, decided):
    _funded, reserve = decided
    with pytest.raises(Conflict, match=f"Only a funded bid becomes a procurement project; {reserve.reference} is"):
        convert(reserve, personas.evaluator)
    assert not ProcurementProject.objects.exists()


def test_an_undecided_bid_is_refused(personas):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer)
    with pytest.raises(Conflict, match="not decided yet"):
        convert(bid, personas.evaluator)


def test_a_bid_already_linked_is_refused_and_names_its_project(personas, decided):
    bid, _ = decided
    convert(bid, personas.evaluator)
    with pytest.raises(Conflict, match=f"already procurement project {bid.reference}"):
        convert(bid, personas.admin, reference="OTHER-1")
    assert ProcurementProject.objects.count() == 1


@pytest.mark.parametrize("who", ["officer", "other_officer", "body", "provider", "member", "outsider"])
def test_only_the_programme_team_may_turn_a_bid_into_a_project(personas, decided, who):
    bid, _ = decided
    with pytest.raises(Conflict, match="Only the programme team"):
        convert(bid, personas[who])
    assert not ProcurementProject.objects.exists()


def test_an_administrator_may(personas, decided):
    bid, _ = decided
    assert convert(bid, personas.admin).lead_organisation == personas.home


def test_a_reference_already_taken_is_refused_beside_the_field_and_nothing_is_saved(personas, decided):
    bid, _ = decided
    procurement_services.project_create(
        title="Another",
        reference=bid.reference.lower(),
        procedure="open",
        lead_organisation=personas.other,
        contract_start=START,
        template=template(),
    )
    with pytest.raises(ValidationError) as info:
        convert(bid, personas.evaluator)
    assert "already exists" in info.value.message_dict["reference"][0]
    bid.refresh_from_db()
    assert bid.procurement_project is None and ProcurementProject.objects.count() == 1


def test_missing_template_or_start_is_refused_beside_the_field(personas, decided):
    bid, _ = decided
    with pytest.raises(ValidationError) as info:
        convert(bid, personas.evaluator, template=None)
    assert "template" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        convert(bid, personas.evaluator, contract_start=None)
    assert "contract_start" in info.value.message_dict
    assert not ProcurementProject.objects.exists()


def test_the_decision_of_a_bid_turned_into_a_project_stands(personas, decided):
    bid, _ = decided
    convert(bid, personas.evaluator)
    bid = Bid.objects.get(pk=bid.pk)
    assert permissions.decision_refusal(personas.body, bid) == (
        "This bid has become a procurement project, so its decision stands."
    )
    with pytest.raises(Conflict, match="its decision stands"):
        services.decision_record(
            reason="As minuted by the Body.",
            bid=bid,
            by=personas.body,
            outcome="not_funded",
            meeting_date=dt.date(2010, 9, 21),
            minute_ref="8",
        )
    assert bid.decision.outcome == "funded"


# ---------------------------------------------------------------- the pages


def page(bid):
    return reverse("growth_bids:bid_procurement", args=[bid.pk])


def test_the_programme_team_fills_the_form_and_lands_on_the_project(client, personas, decided):
    bid, _ = decided
    client.force_login(personas.evaluator)
    detail = client.get(reverse("growth_bids:bid_detail", args=[bid.pk]))
    assert b"Turn into a procurement project" in detail.content
    response = client.get(page(bid))
    assert response.status_code == 200
    assert bid.reference.encode() in response.content and personas.other.label.encode() in response.content
    response = client.post(
        page(bid),
        {
            "reference": bid.reference,
            "template": template().pk,
            "contract_start": "2011-04-01",
            "contract_years": "3",
            "project_manager": personas.evaluator.pk,
        },
    )
    project = ProcurementProject.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "procurement:project_detail", args=[project.pk]
    )
    # The project page links back to the bid (through the procurement page's hook), ...
    assert reverse("growth_bids:bid_detail", args=[bid.pk]) in client.get(response["Location"]).text
    # ... and the bid page now links to the project, and offers no second conversion.
    detail = client.get(reverse("growth_bids:bid_detail", args=[bid.pk]))
    assert reverse("procurement:project_detail", args=[project.pk]).encode() in detail.content
    assert b"Turn into a procurement project" not in detail.content
    again = client.get(page(bid))
    assert f"already procurement project {project.reference}".encode() in again.content
    assert b"Create the procurement project</button>" not in again.content


def test_bad_input_is_shown_beside_the_field_with_what_was_typed(client, personas, decided):
    bid, _ = decided
    client.force_login(personas.evaluator)
    response = client.post(
        page(bid),
        {"reference": "MY-REF-1", "template": template().pk, "contract_start": "31/02/2011", "contract_years": "3"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["contract_start"]
    assert b'value="MY-REF-1"' in response.content
    response = client.post(page(bid), {"reference": "MY-REF-1", "contract_start": "2011-04-01", "contract_years": "0"})
    assert set(response.context["form"].errors) == {"template", "contract_years"}
    assert not ProcurementProject.objects.exists()


def test_a_taken_reference_is_shown_beside_the_reference_field(client, personas, decided):
    bid, _ = decided
    procurement_services.project_create(
        title="Another",
        reference="TAKEN",
        procedure="open",
        lead_organisation=personas.other,
        contract_start=START,
        template=template(),
    )
    client.force_login(personas.evaluator)
    response = client.post(
        page(bid),
        {"reference": "TAKEN", "template": template().pk, "contract_start": "2011-04-01", "contract_years": "3"},
    )
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["reference"][0]
    assert ProcurementProject.objects.count() == 1


def test_a_reserve_bid_shows_why_it_cannot_become_a_project(client, personas, decided):
    _, reserve = decided
    client.force_login(personas.evaluator)
    response = client.get(page(reserve))
    assert response.status_code == 200
    assert b"Only a funded bid becomes a procurement project" in response.content
    response = client.post(
        page(reserve),
        {"reference": "R-1", "template": template().pk, "contract_start": "2011-04-01", "contract_years": "3"},
    )
    assert b"Only a funded bid becomes a procurement project" in response.content
    assert not ProcurementProject.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("officer", 403), ("body", 403), ("provider", 404), ("outsider", 404)])
def test_others_may_not_open_or_post_the_page(client, personas, decided, who, status):
    bid, _ = decided
    client.force_login(personas[who])
    assert client.get(page(bid)).status_code == status
    post = {"reference": "X-1", "template": template().pk, "contract_start": "2011-04-01", "contract_years": "3"}
    assert client.post(page(bid), post).status_code == status
    assert not ProcurementProject.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(client, decided):
    bid, _ = decided
    response = client.get(page(bid))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_project_page_hook_names_the_bid_only_to_those_who_may_read_it(rf: RequestFactory, personas, decided):
    bid, _ = decided
    project = convert(bid, personas.evaluator)
    markup = Template('{% load hooks %}{% hook "project_page_links" project %}')

    def render(user):
        request = rf.get("/")
        request.user = user
        return markup.render(Context({"request": request, "project": project}))

    shown = render(personas.evaluator)
    assert reverse("growth_bids:bid_detail", args=[bid.pk]) in shown and bid.reference in shown
    assert bid.reference in render(personas.other_officer)  # a supporter
    assert render(personas.provider).strip() == ""
    assert render(personas.outsider).strip() == ""
