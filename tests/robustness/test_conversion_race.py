"""Two people turning the same funded bid or shared service into a project at once: one project, the second
is told which one (never a 500: the related project is read after the row lock, not before)."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from growth_bids.exceptions import Conflict
from procurement.models import ProcurementProject
from tests.growth_bids.helpers import base_data  # noqa: F401
from tests.growth_bids.test_procurement_link import convert as convert_bid
from tests.growth_bids.test_procurement_link import decided  # noqa: F401
from tests.partnerships.test_procurement_link import _reference_data, advocacy  # noqa: F401
from tests.partnerships.test_procurement_link import convert as convert_service

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("base_data")]


def _race(first_call, second_call):
    """The first holds its lock, uncommitted, while the second asks; then the first commits."""
    inside, release = threading.Event(), threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = first_call()
                inside.set()
                release.wait(10)
        except Exception as exc:  # noqa: BLE001
            results["first"] = exc
            inside.set()
        finally:
            connection.close()

    def second():
        inside.wait(10)
        try:
            results["second"] = second_call()
        except Exception as exc:  # noqa: BLE001
            results["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)  # the second is now waiting on the row lock
    release.set()
    for thread in threads:
        thread.join(20)
    return results


def test_two_people_turning_one_bid_into_a_project_make_one(personas, decided):  # noqa: F811
    bid, _reserve = decided
    results = _race(
        lambda: convert_bid(bid, personas.evaluator), lambda: convert_bid(bid, personas.admin, reference="X-2")
    )
    assert isinstance(results["first"], ProcurementProject), results
    assert isinstance(results["second"], Conflict), results
    assert f"already procurement project {results['first'].reference}" in str(results["second"])
    assert ProcurementProject.objects.count() == 1


def test_two_people_turning_one_service_into_a_project_make_one(personas, advocacy):  # noqa: F811
    results = _race(
        lambda: convert_service(advocacy, personas.evaluator),
        lambda: convert_service(advocacy, personas.admin, reference="X-3"),
    )
    assert isinstance(results["first"], ProcurementProject), results
    assert isinstance(results["second"], ValidationError), results
    assert results["first"].reference in str(results["second"])
    assert ProcurementProject.objects.count() == 1
