from decimal import Decimal

import pytest

from tests.factories import (
    AllocationFactory,
    CommissionFactory,
    CoreGroupFactory,
    MembershipFactory,
    RiskFactory,
    SpendEntryFactory,
)


@pytest.fixture
def cymorth(personas):
    """A core group with the member persona in it, an allocation, spend, a commission and a risk.

    The provider persona is a member too (their organisation is a provider): they take part in the
    work but never see money.
    """
    group = CoreGroupFactory(name="Family Support")
    MembershipFactory(core_group=group, user=personas.member)
    MembershipFactory(core_group=group, user=personas.provider, role="Voluntary-sector member")
    allocation = AllocationFactory(core_group=group, financial_year=2010, amount=Decimal("987654.32"))
    SpendEntryFactory(core_group=group, amount=Decimal("123456.78"), description="Quarter 1 payments")
    commission = CommissionFactory(core_group=group, title="Parenting support", annual_value=Decimal("45678.91"))
    risk = RiskFactory(core_group=group, title="Core group capacity", impact=4, likelihood=4)
    other_group = CoreGroupFactory(programme=group.programme, name="Play")
    return type(
        "Cymorth",
        (),
        {
            "group": group,
            "programme": group.programme,
            "allocation": allocation,
            "commission": commission,
            "risk": risk,
            "other_group": other_group,
        },
    )
