"""Building rounds and bids for the growth-bid tests through the real services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from core_groups import roles
from core_groups.financial_year import fy_for_date
from core_groups.models import Programme
from growth_bids import services
from growth_bids.defaults import ensure_reference_data
from growth_bids.models import ClientGroup, District, FundingRound, Outcome


def programme():
    return Programme.objects.get_or_create(
        name="Kent Supporting People",
        defaults={"funder": "Communities and Local Government", "decided_by": "Commissioning Body", "first_year": 2010},
    )[0]


def make_round(growth="500000", holdback="10", open_it=True, year=None, **kwargs):
    # Transactional tests flush the tables, data migrations included.
    ensure_reference_data()
    today = timezone.localdate()
    year = year or fy_for_date(today)
    opens_on = kwargs.pop("opens_on", None) or max(dt.date(year, 4, 1), min(today, dt.date(year + 1, 3, 1)))
    kwargs.setdefault("closes_at", timezone.now() + dt.timedelta(days=10))
    funding_round = services.round_create(
        programme=programme(),
        financial_year=year,
        growth_money=Decimal(growth),
        holdback_pct=Decimal(holdback),
        opens_on=opens_on,
        **kwargs,
    )
    if open_it:
        funding_round = services.round_open(funding_round=funding_round)
    return funding_round


def close_round(funding_round):
    FundingRound.objects.filter(pk=funding_round.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    funding_round.refresh_from_db()
    return services.round_close(funding_round=funding_round)


def bid_data(funding_round, **overrides):
    data = {
        "title": "Floating support for young people leaving care",
        "contact_names": "Olivia Officer",
        "contact_email": "olivia@example.gov.uk",
        "contact_phone": "01622 221179",
        "summary": "Floating support for care leavers across two districts.",
        "client_group": ClientGroup.objects.get(name="Young people leaving care"),
        "districts": list(District.objects.filter(name__in=["Ashford", "Maidstone"])),
        "service_users": 30,
        "hours_per_week": Decimal("3.5"),
        "annual_amount": Decimal("150000"),
        "start_date": dt.date(funding_round.financial_year, 10, 1),
        "outcomes": list(Outcome.objects.all()[:2]),
        "statements": {c.code: f"Statement for {c.code}." for c in funding_round.criteria.all()},
    }
    data.update(overrides)
    return data


def submitted_bid(funding_round, officer, supporters=(), **overrides):
    bid = services.bid_create(funding_round=funding_round, by=officer, data=bid_data(funding_round, **overrides))
    for org, answerer in supporters:
        request = services.support_ask(bid=bid, organisation=org, by=officer)
        services.support_answer(support_request=request, by=answerer, confirm=True)
    return services.bid_submit(bid=bid, by=officer, version=bid.version)


def all_marks(funding_round, met=True, overrides=None):
    overrides = overrides or {}
    return {
        c.pk: (overrides.get(c.code, met), f"Reason for {c.code}.")
        for c in funding_round.criteria.all()
        if not c.system_rule
    }


def moderate(bid, evaluator, met=True, overrides=None):
    """Save the bid's moderated evaluation, changing the one there is (at its current version) if any."""
    seen = bid.evaluations.filter(moderated=True).values_list("version", flat=True).first()
    return services.evaluation_save(
        version=seen,
        bid=bid,
        by=evaluator,
        marks=all_marks(bid.funding_round, met, overrides),
        written_evaluation="A written evaluation.",
        moderated=True,
    )


@pytest.fixture
def base_data(db):
    """Roles and reference data, which a transactional test's flush removes along with everything else.

    Request it before ``personas`` so that the personas get their roles.
    """
    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
    ensure_reference_data()
