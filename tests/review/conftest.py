from datetime import date
from decimal import Decimal

import pytest

from review import services
from review.models import Measure
from tests.factories import CommissionFactory, CoreGroupFactory, OrganisationFactory, ProgrammeFactory


@pytest.fixture
def carers(personas):
    """A programme with two providers' services: the provider persona's (Asist) and another provider's.

    Asist's service runs from April 2011 to March 2013 and has two measures: a percentage with a baseline
    from the sector survey, and a count without a baseline.
    """
    programme = ProgrammeFactory(name="Merthyr Tydfil Compact")
    group = CoreGroupFactory(programme=programme, name="Carers")
    own = CommissionFactory(
        core_group=group,
        title="Carers' support SLA",
        provider=personas.provider_org,
        indicative_start=date(2011, 4, 1),
        indicative_end=date(2013, 3, 31),
    )
    other_org = OrganisationFactory(name="Crossroads Care", provider=True)
    other = CommissionFactory(
        core_group=group,
        title="Respite for carers",
        provider=other_org,
        indicative_start=date(2011, 4, 1),
        indicative_end=date(2013, 3, 31),
    )
    satisfied = services.measure_create(
        programme=programme,
        commission=own,
        title="Carers satisfied with support",
        kind=Measure.Kind.HOW_WELL,
        unit=Measure.Unit.PERCENTAGE,
        baseline_value=Decimal("62"),
        baseline_date=date(2011, 3, 31),
        baseline_source="VAMT and Interlink sector survey",
    )
    supported = services.measure_create(
        programme=programme,
        commission=own,
        title="Carers supported",
        kind=Measure.Kind.HOW_MUCH,
        unit=Measure.Unit.NUMBER,
        unit_label="carers",
    )
    other_measure = services.measure_create(
        programme=programme, commission=other, title="Respite nights", unit=Measure.Unit.NUMBER
    )
    services.target_set(
        measure=satisfied, period_start=date(2011, 4, 1), period_end=date(2011, 6, 30), value=Decimal("70")
    )
    return type(
        "Carers",
        (),
        {
            "programme": programme,
            "own": own,
            "other": other,
            "satisfied": satisfied,
            "supported": supported,
            "other_measure": other_measure,
        },
    )
