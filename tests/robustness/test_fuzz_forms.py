"""Hypothesis fuzzes three key create forms (a bid, a procurement project, a funding round): from a valid post,
a few fields at a time are replaced with drawn values (the hostile catalogue, any text, huge and odd numbers,
dates of any year, malformed dates, empty). Whatever is drawn: never a 500, and never a silent redisplay (a form
that comes back says what is wrong); a post that is accepted redirects and makes exactly one record.

The number of examples is bounded (FUZZ_EXAMPLES, a handful per form) so the suite stays fast; hypothesis keeps
what failed in its example database and tries it first next time.
"""

import datetime as dt
import os

import pytest
from django.forms import BaseForm, BaseFormSet
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core_groups.financial_year import current_fy
from foundation import once
from growth_bids.models import Bid, FundingRound
from procurement.models import ProcurementProject, TimetableTemplate
from tests.growth_bids.helpers import make_round, programme
from tests.procurement.conftest import LEEDS_TEMPLATE

from .catalogue import HOSTILE

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text a browser can send: any character but the lone surrogates UTF-8 cannot carry.
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
VALUES = st.one_of(
    st.sampled_from(sorted(HOSTILE.values())),
    any_text,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.builds("{}-{}-{}".format, st.integers(-5, 99_999), st.integers(-1, 13), st.integers(-1, 32)),  # impossible dates
    st.just(""),
)


def overrides(fields):
    return st.dictionaries(st.sampled_from(sorted(fields)), VALUES, min_size=1, max_size=4)


def post_and_check(client, url, data, made):
    """Post; never a 500; a redisplay names what is wrong; an accepted post makes one record."""
    before = made()
    response = client.post(url, data)
    assert response.status_code < 500, (response.status_code, data)
    if response.status_code == 200:
        assert says_what_is_wrong(response), f"the form came back without saying what is wrong: {data!r}"
        assert made() - before <= 1
    else:
        assert response.status_code == 302, (response.status_code, data)
        assert made() - before == 1, f"an accepted post made {made() - before} records: {data!r}"
    return response


def says_what_is_wrong(response):
    """A form or formset on the page carries an error (the templates show each beside its field)."""
    contexts = response.context if isinstance(response.context, list) else [response.context]
    for context in contexts:
        for value in context.flatten().values():
            if isinstance(value, BaseForm) and value.errors:
                return True
            if isinstance(value, BaseFormSet) and value.total_error_count():
                return True
    return False


def _fields(client, url):
    page = client.get(url)
    assert page.status_code == 200
    return set(page.context["form"].fields)


# --------------------------------------------------------------------------------------------------
# A funding round


def round_data(programme_pk):
    year = current_fy() + 1
    return {
        "programme": programme_pk,
        "financial_year": str(year),
        "title": "Growth bids",
        "growth_money": "500000",
        "holdback_pct": "10",
        "opens_on": f"{year}-04-01",
    }


def test_the_round_form_fuzzed_is_never_a_500_nor_a_silent_redisplay(client, personas):
    client.force_login(personas.evaluator)
    url = reverse("growth_bids:round_create")
    fields = _fields(client, url)
    programme_pk = programme().pk

    def made():
        return FundingRound.objects.count()

    @FUZZ
    @given(changes=overrides(fields))
    def fuzz(changes):
        data = {**round_data(programme_pk), "form_token": once.new_token(), **changes}
        post_and_check(client, url, data, made)
        FundingRound.objects.all().delete()  # the next example's valid post is not a duplicate year

    fuzz()


# --------------------------------------------------------------------------------------------------
# A procurement project


def project_data(personas, leeds_org, reference):
    data = {
        "reference": reference,
        "title": "Neighbourhood Networks",
        "description": "Joint commissioning.",
        "procedure": "open",
        "regime": "light_touch",
        "approach": "aligned",
        "lead_organisation": leeds_org.pk,
        "project_manager": personas.evaluator.pk,
        "commission": "",
        "status": "planning",
        "contract_start": "2031-04-01",
        "contract_years": "3",
        "estimated_annual_value": "3000000",
        "template": TimetableTemplate.objects.get(name=LEEDS_TEMPLATE).pk,
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "30",
        "partners-0-organisation": "",
        "partners-0-annual_contribution": "",
    }
    return data


def test_the_project_form_fuzzed_is_never_a_500_nor_a_silent_redisplay(client, personas, leeds_org):
    client.force_login(personas.evaluator)
    url = reverse("procurement:project_create")
    fields = _fields(client, url) | {
        "partners-TOTAL_FORMS",
        "partners-0-organisation",
        "partners-0-annual_contribution",
    }
    counter = iter(range(10**6))

    def made():
        return ProcurementProject.objects.count()

    @FUZZ
    @given(changes=overrides(fields))
    @example(changes={"partners-0-annual_contribution": "   "})  # the error is the partners formset's
    def fuzz(changes):
        data = {**project_data(personas, leeds_org, f"FZ-{next(counter)}"), "form_token": once.new_token(), **changes}
        post_and_check(client, url, data, made)

    fuzz()


# --------------------------------------------------------------------------------------------------
# A bid


def bid_data(funding_round):
    return {
        "title": "Floating support for young people leaving care",
        "contact_names": "Olivia Officer",
        "contact_email": "olivia@example.gov.uk",
        "contact_phone": "01622 221179",
        "summary": "Floating support for care leavers.",
        "service_users": "30",
        "hours_per_week": "3.5",
        "annual_amount": "150000",
        "start_date": f"{funding_round.financial_year}-10-01",
    }


def test_the_bid_form_fuzzed_is_never_a_500_nor_a_silent_redisplay(client, personas):
    funding_round = make_round()
    client.force_login(personas.officer)
    url = reverse("growth_bids:bid_create", kwargs={"pk": funding_round.pk})
    fields = _fields(client, url)

    def made():
        return Bid.objects.count()

    @FUZZ
    @given(changes=overrides(fields), submit=st.booleans())
    @example(changes={"version": ":"}, submit=False)  # found by this test: saved, then "correct" with nothing shown
    @example(changes={"statement_a": "a\x00b"}, submit=False)  # found by this test: the draft kept a NUL (500)
    def fuzz(changes, submit):
        data = {**bid_data(funding_round), "form_token": once.new_token(), **changes}
        if submit:
            data["submit"] = "1"
        before = made()
        response = client.post(url, data)
        assert response.status_code < 500, (response.status_code, data)
        if response.status_code == 200:
            # An incomplete or wrong bid is kept as a draft and shown again with what is wrong beside it.
            assert says_what_is_wrong(response), f"the bid form came back without saying what is wrong: {data!r}"
        else:
            assert response.status_code == 302, (response.status_code, data)
        assert made() - before <= 1

    fuzz()
