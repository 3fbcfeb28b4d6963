"""Every decision binds (issue 13 item 1): specification approvals, the Body's funding decisions, round openings,
timetable version publications and underspend policy adoptions each record a core_groups Decision with the version
and a digest of what was decided. A later change of a decided field is refused, naming the decision and who made
it, or (where the change is legitimate) reopens the decision visibly; the decision register lists them all."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core_groups import services as core_services
from core_groups.decisions import digest
from core_groups.models import Commission, Decision
from foundation.models import OutboxMessage
from growth_bids import services as bid_services
from growth_bids.models import FundingRound
from procurement import services as procurement_services
from procurement.admin import UnderspendPolicyForm
from procurement.models import Task, Timetable, UnderspendPolicy
from tests.growth_bids.helpers import close_round, make_round, moderate, programme, submitted_bid
from tests.procurement.conftest import _templates, leeds_org, make_project  # noqa: F401 (the fixtures)

pytestmark = pytest.mark.django_db
REGISTER = reverse("decision_register")


def _register(client, user, kind):
    client.force_login(user)
    return client.get(REGISTER, {"kind": kind}).content.decode()


# --- Specifications -------------------------------------------------------------------------------------------


def _approve_specification(commission, user):
    return core_services.specification_decide(
        user=user, commission=commission, state="approved", expected_version=commission.version
    )


def test_a_specification_approval_is_bound_to_what_it_approved(personas, cymorth):
    commission = _approve_specification(cymorth.commission, personas.body)
    decision = Decision.objects.for_subject(commission).current().get(kind=Decision.Kind.SPECIFICATION)
    assert decision.decided_by == personas.body and decision.outcome == "approved"
    assert decision.subject_version == 1 and commission.version == 2
    assert decision.decided_values["annual_value"] == "45678.91"
    assert decision.digest == digest(commission.specification_values())


def test_changing_an_approved_specifications_value_reopens_it_visibly(client, personas, cymorth):
    commission = _approve_specification(cymorth.commission, personas.body)
    commission = core_services.commission_update(
        user=personas.member, commission=commission, expected_version=commission.version, annual_value=Decimal("90000")
    )
    assert commission.specification_state == Commission.SpecificationState.WITH_JCG
    assert commission.specification_decided_by is None
    old = Decision.objects.for_subject(commission).get(kind=Decision.Kind.SPECIFICATION)
    assert old.is_superseded and old.superseded_by == personas.member
    assert "changed the annual value" in old.superseded_reason
    assert OutboxMessage.objects.filter(key=f"core_groups.decision_reopened:{old.pk}").exists()
    client.force_login(personas.body)
    html = client.get(reverse("core_groups:commission", args=[commission.pk])).content.decode()
    assert "With the JCG" in html and "awaiting a new decision" in html and "Superseded approvals (1)" in html
    # Approved again: the register lists both, the first superseded.
    _approve_specification(commission, personas.body)
    assert Decision.objects.for_subject(commission).filter(kind=Decision.Kind.SPECIFICATION).count() == 2
    html = _register(client, personas.body, "specification")
    assert html.count(commission.title) == 2 and "Superseded" in html


def test_a_change_outside_what_was_approved_leaves_the_approval_standing(personas, cymorth):
    commission = _approve_specification(cymorth.commission, personas.body)
    commission = core_services.commission_update(
        user=personas.member, commission=commission, expected_version=commission.version, notes="Met the provider."
    )
    assert commission.specification_state == "approved"
    assert Decision.objects.for_subject(commission).current().filter(kind=Decision.Kind.SPECIFICATION).exists()


def test_sending_an_approved_specification_back_supersedes_its_approval(personas, cymorth):
    commission = _approve_specification(cymorth.commission, personas.body)
    core_services.specification_decide(
        user=personas.body, commission=commission, state="draft", expected_version=commission.version
    )
    old = Decision.objects.for_subject(commission).get(kind=Decision.Kind.SPECIFICATION)
    assert old.is_superseded and "sent the specification back" in old.superseded_reason


# --- Round openings -------------------------------------------------------------------------------------------


def test_a_round_opening_is_bound_and_its_money_cannot_change_after(client, personas):
    draft = make_round(open_it=False)
    opened = bid_services.round_open(funding_round=draft, by=personas.evaluator)
    decision = Decision.objects.for_subject(opened).current().get(kind=Decision.Kind.ROUND_OPENING)
    assert decision.decided_by == personas.evaluator and decision.outcome == "opened"
    assert decision.decided_values["growth_money"] == "500000.00"
    assert [c[0] for c in decision.decided_values["criteria"]] == list("abcdefg")
    with pytest.raises(ValidationError) as err:
        bid_services.round_update(funding_round=opened, version=opened.version, growth_money=Decimal("900000"))
    message = " ".join(err.value.messages)
    assert "The growth money cannot be changed" in message
    assert f"round opening (opened) decided by Programme team ({personas.evaluator.display_name})" in message
    assert FundingRound.objects.get(pk=opened.pk).growth_money == Decimal("500000")
    # The close may still move later, with a reason.
    later = opened.closes_at + dt.timedelta(days=3)
    bid_services.round_update(funding_round=opened, version=opened.version, closes_at=later, reason="Easter.")
    html = _register(client, personas.body, "round_opening")
    assert str(opened) in html and "Opened" in html


# --- The Body's funding decisions ------------------------------------------------------------------------------


def test_a_funding_decision_is_bound_to_the_bid_and_a_change_keeps_the_first(client, personas):
    funding_round = make_round(growth="300000", holdback="0")
    bid = submitted_bid(funding_round, personas.officer, annual_amount=Decimal("100000"))
    close_round(funding_round)
    moderate(bid, personas.evaluator)
    bid_services.round_mark_evaluated(funding_round=FundingRound.objects.get(pk=funding_round.pk))
    meeting = dt.date(2010, 9, 20)
    bid_services.decision_record(
        bid=bid, by=personas.body, outcome="funded", amount=Decimal("100000"), meeting_date=meeting, minute_ref="CB/1"
    )
    first = Decision.objects.for_subject(bid).current().get(kind=Decision.Kind.FUNDING)
    assert first.decided_values["annual_amount"] == "100000.00" and first.decided_values["amount"] == "100000.00"
    assert first.minute == "CB/1" and first.deciding_body == "Commissioning Body"
    assert first.subject_version == bid.version
    bid_services.decision_record(
        bid=bid, by=personas.body, outcome="not_funded", meeting_date=meeting, reason="Reconsidered."
    )
    decisions = Decision.objects.for_subject(bid).filter(kind=Decision.Kind.FUNDING).order_by("recorded_at")
    assert [(d.outcome, d.is_superseded) for d in decisions] == [("funded", True), ("not_funded", False)]
    # The register lists both: the decision in force and, marked superseded, the one it replaced.
    client.force_login(personas.body)
    rows = list(csv.reader(io.StringIO(client.get(REGISTER, {"kind": "funding", "format": "csv"}).content.decode())))
    mine = [r for r in rows[1:] if bid.reference in r[2]]
    assert sorted((r[6], r[7]) for r in mine) == [("Funded", "Superseded"), ("Not funded", "In force")]


# --- Timetable version publication ------------------------------------------------------------------------------


@pytest.fixture
def project(leeds_org, personas):  # noqa: F811 (the imported fixture)
    return make_project(leeds_org, project_manager=personas.member)


def test_publishing_a_timetable_version_is_bound_to_its_plan(client, personas, project):
    timetable = project.timetables.get(is_current=True)
    live = procurement_services.timetable_publish(
        timetable=timetable, expected_number=1, user=personas.member, change_note="Board agreed the dates."
    )
    decision = Decision.objects.for_subject(live).current().get(kind=Decision.Kind.TIMETABLE)
    assert decision.subject_version == 2 and decision.decided_by == personas.member
    assert decision.conditions == "Board agreed the dates." and decision.decided_values["tasks"]
    # The version kept is never changed, and the refusal says who published it.
    kept = Timetable.objects.get(project=project, number=1)
    task = Task.objects.filter(timetable=kept).order_by("number").first()
    with pytest.raises(ValidationError) as err:
        procurement_services.task_update(
            task=task, expected_version=procurement_services.task_version(task), notes="Forged"
        )
    assert "kept as" in err.value.messages[0] and "v1" in err.value.messages[0]
    # A change to the live plan after publication shows on the project page as not yet published.
    client.force_login(personas.member)
    page = client.get(reverse("procurement:project_detail", args=[project.pk])).content.decode()
    assert 'id="publication-changed"' not in page
    live_task = Task.objects.filter(timetable=live, due__isnull=False).order_by("-number").first()
    Task.objects.filter(pk=live_task.pk).update(activity="Renamed after publication")
    page = client.get(reverse("procurement:project_detail", args=[project.pk])).content.decode()
    assert 'id="publication-changed"' in page and "the changes are not published yet" in page
    html = _register(client, personas.body, "timetable")
    assert f"{project.reference} {project.title}: timetable" in html and "Published v2" in html


# --- Underspend policy adoption ---------------------------------------------------------------------------------


def _policy(**overrides):
    fields = {
        "programme": programme(),
        "name": "Option 2: 3.5% or £25,000",
        "commissioning_pct": Decimal("1"),
        "discretion_pct": Decimal("3.5"),
        "discretion_floor": Decimal("25000"),
        "effective_from": 2010,
        "is_active": True,
    }
    fields.update(overrides)
    return UnderspendPolicy(**fields)


def test_adopting_an_underspend_policy_binds_its_figures(client, personas):
    policy = procurement_services.underspend_policy_save(user=personas.admin, policy=_policy())
    decision = Decision.objects.for_subject(policy).current().get(kind=Decision.Kind.UNDERSPEND_POLICY)
    assert decision.outcome == "adopted" and decision.decided_values["discretion_pct"] == "3.50"
    # Changing the figures of the adopted policy is refused, naming the adoption (the service and the admin's form).
    policy.discretion_pct = Decimal("2.5")
    with pytest.raises(ValidationError) as err:
        procurement_services.underspend_policy_save(user=personas.admin, policy=policy)
    assert "core group discretion cannot be changed" in err.value.messages[0]
    assert "underspend policy adoption (adopted)" in err.value.messages[0]
    assert UnderspendPolicy.objects.get(pk=policy.pk).discretion_pct == Decimal("3.5")
    instance = UnderspendPolicy.objects.get(pk=policy.pk)
    form = UnderspendPolicyForm(
        data={
            "programme": instance.programme_id,
            "name": instance.name,
            "commissioning_pct": "1",
            "discretion_pct": "2.5",
            "discretion_floor": "25000",
            "effective_from": "2010",
            "is_active": "on",
            "notes": "",
        },
        instance=instance,
    )
    assert not form.is_valid() and "Make it inactive first" in str(form.non_field_errors())
    # Made inactive: the adoption ends, kept on record; the figures may then change.
    policy = UnderspendPolicy.objects.get(pk=policy.pk)
    policy.is_active = False
    procurement_services.underspend_policy_save(user=personas.admin, policy=policy)
    assert Decision.objects.for_subject(policy).get().is_superseded
    policy.discretion_pct = Decimal("2.5")
    procurement_services.underspend_policy_save(user=personas.admin, policy=policy)
    html = _register(client, personas.body, "underspend_policy")
    assert "Option 2" in html and "Superseded" in html
