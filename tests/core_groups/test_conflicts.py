import datetime as dt

import pytest

from core_groups.conflicts import conflict_reason, has_conflict
from tests.factories import DeclaredInterestFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


class Decision:
    """Something a person may decide on, with stakeholders: the shape a bid or commission has."""

    class _meta:
        verbose_name = "bid"

    def __init__(self, org_ids, target=None):
        self._org_ids = org_ids
        self._target = target
        self.pk = None

    def conflict_organisation_ids(self):
        return self._org_ids

    def conflict_targets(self):
        return [self._target] if self._target else []


def test_no_interest_no_conflict():
    user = UserFactory()
    assert not has_conflict(user, Decision([OrganisationFactory().pk]))


def test_working_for_a_stakeholder_is_a_conflict():
    org = OrganisationFactory()
    user = UserFactory(organisation=org)
    assert "You work for" in conflict_reason(user, Decision([org.pk]))


def test_declared_interest_in_a_stakeholder_is_a_conflict():
    provider = OrganisationFactory(provider=True)
    interest = DeclaredInterestFactory(organisation=provider)
    assert "declared an interest" in conflict_reason(interest.user, Decision([provider.pk]))


def test_withdrawn_interest_is_no_conflict():
    provider = OrganisationFactory(provider=True)
    interest = DeclaredInterestFactory(
        organisation=provider, declared_on=dt.date(2020, 1, 1), withdrawn_on=dt.date(2021, 1, 1)
    )
    assert not has_conflict(interest.user, Decision([provider.pk]))


def test_interest_in_the_record_itself_is_a_conflict():
    target = OrganisationFactory()  # any saved model instance can be the subject of an interest
    user = UserFactory()
    DeclaredInterestFactory(user=user, organisation=None, subject=target)
    assert has_conflict(user, Decision([], target=target))
    assert not has_conflict(UserFactory(), Decision([], target=target))
