"""Two Body members deciding at once on PostgreSQL: the round row lock keeps funding within the money."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from growth_bids import services
from growth_bids.exceptions import Overspend
from growth_bids.models import Decision
from tests.factories import UserFactory
from tests.growth_bids.helpers import base_data, close_round, make_round, moderate, submitted_bid  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("base_data")]


def _setup(personas):
    funding_round = make_round(growth="500000", holdback="10")  # £450,000 available
    a = submitted_bid(funding_round, personas.officer, annual_amount=Decimal("300000"), title="A")
    b = submitted_bid(funding_round, personas.officer, annual_amount=Decimal("250000"), title="B")
    close_round(funding_round)
    moderate(a, personas.evaluator)
    moderate(b, personas.evaluator)
    services.round_mark_evaluated(funding_round=funding_round)
    second_member = UserFactory(organisation=personas.body.organisation, roles=["Commissioning Body"])
    return funding_round, a, b, second_member


def test_two_members_deciding_at_once_cannot_overspend(personas):
    funding_round, a, b, second_member = _setup(personas)
    first_inside = threading.Event()
    release_first = threading.Event()
    second_done = threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                services.decision_record(
                    reason="As minuted by the Body.",
                    bid=a,
                    by=personas.body,
                    outcome="funded",
                    amount=Decimal("300000"),
                    meeting_date=timezone.localdate(),
                )
                first_inside.set()
                # Hold the round lock, uncommitted, while the second member tries.
                release_first.wait(10)
            results["first"] = "funded"
        except Exception as exc:  # noqa: BLE001
            results["first"] = exc
        finally:
            connection.close()

    def second():
        first_inside.wait(10)
        try:
            services.decision_record(
                reason="As minuted by the Body.",
                bid=b,
                by=second_member,
                outcome="funded",
                amount=Decimal("250000"),
                meeting_date=timezone.localdate(),
            )
            results["second"] = "funded"
        except Exception as exc:  # noqa: BLE001
            results["second"] = exc
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_inside.wait(10)
    # The second decider is blocked on the round row while the first holds it.
    assert not second_done.wait(1.0)
    release_first.set()
    for thread in threads:
        thread.join(20)

    assert results["first"] == "funded"
    assert isinstance(results["second"], Overspend), results["second"]
    assert services.funded_total(funding_round) == Decimal("300000.00")
    assert Decision.objects.filter(outcome="funded").count() == 1


def test_two_members_racing_without_pause_never_overspend(personas):
    funding_round, a, b, second_member = _setup(personas)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(bid, member, amount):
        barrier.wait(10)
        try:
            services.decision_record(
                reason="As minuted by the Body.",
                bid=bid,
                by=member,
                outcome="funded",
                amount=amount,
                meeting_date=timezone.localdate(),
            )
            outcomes.append("funded")
        except Overspend:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(a, personas.body, Decimal("300000"))),
        threading.Thread(target=decide, args=(b, second_member, Decimal("250000"))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(outcomes) == ["funded", "refused"]
    assert services.funded_total(funding_round) <= funding_round.available
