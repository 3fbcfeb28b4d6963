"""Returns: a provider's user returns for their own services only; bad figures and periods save nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from review import selectors, services
from review.exceptions import NotAllowed
from review.models import Measure, Return, ReturnValue

pytestmark = pytest.mark.django_db

Q1 = (date(2011, 4, 1), date(2011, 6, 30))


def _submit(user, commission, values, period=Q1, **kwargs):
    return services.return_submit(
        user=user, commission=commission, period_start=period[0], period_end=period[1], values=values, **kwargs
    )


def test_provider_submits_a_return_for_their_own_service(personas, carers):
    ret = _submit(personas.provider, carers.own, {carers.satisfied.pk: "65", carers.supported.pk: "120"})
    assert ret.status == Return.Status.SUBMITTED
    assert ret.submitted_by == personas.provider
    assert ret.due_on == date(2011, 7, 30)
    assert {v.measure_id: v.value for v in ret.values.all()} == {
        carers.satisfied.pk: Decimal("65"),
        carers.supported.pk: Decimal("120"),
    }


def test_provider_cannot_return_for_a_service_not_theirs(personas, carers):
    with pytest.raises(NotAllowed):
        _submit(personas.provider, carers.other, {carers.other_measure.pk: "3"})
    assert not Return.objects.exists()


def test_percentage_over_100_refuses_the_whole_return(personas, carers):
    with pytest.raises(ValidationError) as caught:
        _submit(personas.provider, carers.own, {carers.satisfied.pk: "101", carers.supported.pk: "120"})
    assert "cannot be more than 100" in caught.value.message_dict[f"value_{carers.satisfied.pk}"][0]
    assert not Return.objects.exists() and not ReturnValue.objects.exists()


def test_period_outside_the_service_life_is_refused(personas, carers):
    with pytest.raises(ValidationError) as caught:
        _submit(
            personas.provider,
            carers.own,
            {carers.satisfied.pk: "65", carers.supported.pk: "1"},
            period=(date(2011, 1, 1), date(2011, 3, 31)),
        )
    assert "outside the service's life" in caught.value.message_dict["period"][0]
    assert not Return.objects.exists()


def test_a_figure_that_is_not_a_number_and_a_missing_figure_are_refused(personas, carers):
    with pytest.raises(ValidationError) as caught:
        _submit(personas.provider, carers.own, {carers.satisfied.pk: "lots"})
    errors = caught.value.message_dict
    assert "is not a number" in errors[f"value_{carers.satisfied.pk}"][0]
    assert "Give a figure" in errors[f"value_{carers.supported.pk}"][0]
    assert not Return.objects.exists()


def test_a_figure_for_another_services_measure_is_refused(personas, carers):
    with pytest.raises(ValidationError):
        _submit(
            personas.provider,
            carers.own,
            {carers.satisfied.pk: "65", carers.supported.pk: "1", carers.other_measure.pk: "9"},
        )
    assert not Return.objects.exists()


def test_team_reviews_with_rag_and_a_red_needs_a_comment(personas, carers):
    ret = _submit(personas.provider, carers.own, {carers.satisfied.pk: "65", carers.supported.pk: "120"})
    with pytest.raises(ValidationError):
        services.return_review(user=personas.evaluator, return_record=ret, rag="red", comment="")
    with pytest.raises(NotAllowed):
        services.return_review(user=personas.provider, return_record=ret, rag="green", comment="")
    reviewed = services.return_review(user=personas.evaluator, return_record=ret, rag="amber", comment="Below target")
    assert reviewed.status == Return.Status.REVIEWED and reviewed.rag == "amber"
    assert reviewed.history.count() >= 2


def test_a_stale_edit_is_refused(personas, carers):
    ret = _submit(personas.provider, carers.own, {carers.satisfied.pk: "65", carers.supported.pk: "120"})
    with pytest.raises(ValidationError):
        services.return_review(
            user=personas.evaluator, return_record=ret, rag="green", comment="", expected_version=ret.version - 1
        )


def test_trends_show_submitted_actuals_against_targets_in_fixed_queries(personas, carers, django_assert_num_queries):
    _submit(personas.provider, carers.own, {carers.satisfied.pk: "65", carers.supported.pk: "120"})
    with django_assert_num_queries(3):
        trends = selectors.programme_trends(carers.programme)
    satisfied = next(t for t in trends if t.measure == carers.satisfied)
    assert [(p.label, p.actual, p.target) for p in satisfied.points] == [("2011-12 Q1", Decimal("65"), Decimal("70"))]


def test_target_needs_a_period_and_a_percentage_target_at_most_100(carers):
    with pytest.raises(ValidationError):
        services.target_set(measure=carers.satisfied, period_start=None, period_end=None, value=Decimal("5"))
    with pytest.raises(ValidationError):
        services.target_set(
            measure=carers.satisfied, period_start=date(2011, 7, 1), period_end=date(2011, 9, 30), value=Decimal("150")
        )


def test_measure_without_baseline_says_so(carers):
    assert carers.supported.baseline_label == "No baseline set"
    assert carers.satisfied.baseline_label == "62% at 31 March 2011 (VAMT and Interlink sector survey)"


def test_measure_baseline_needs_its_date(carers):
    with pytest.raises(ValidationError):
        services.measure_create(
            programme=carers.programme, title="Half a baseline", unit=Measure.Unit.NUMBER, baseline_value=Decimal("3")
        )


# --- pages ---------------------------------------------------------------------------------------------------


def test_provider_page_lists_only_their_services_and_others_are_404(client, personas, carers):
    client.force_login(personas.provider)
    page = client.get(reverse("review:returns")).content.decode()
    assert "Carers&#x27; support SLA" in page or "Carers' support SLA" in page
    assert "Respite for carers" not in page
    assert client.get(reverse("review:return_submit", args=[carers.other.pk])).status_code == 404
    assert client.get(reverse("review:programme", args=[carers.programme.pk])).status_code == 403


def test_return_form_redisplays_errors_and_saves_nothing(client, personas, carers):
    client.force_login(personas.provider)
    response = client.post(
        reverse("review:return_submit", args=[carers.own.pk]),
        {"period": "2011-04-01", f"value_{carers.satisfied.pk}": "120", f"value_{carers.supported.pk}": "40"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be more than 100" in page
    assert 'value="120"' in page
    assert not Return.objects.exists()


def test_submit_then_team_rates_on_the_page_and_the_chart_shows_it(client, personas, carers):
    client.force_login(personas.provider)
    response = client.post(
        reverse("review:return_submit", args=[carers.own.pk]),
        {"period": "2011-04-01", f"value_{carers.satisfied.pk}": "66", f"value_{carers.supported.pk}": "40"},
    )
    ret = Return.objects.get()
    assert response.status_code == 302
    client.force_login(personas.evaluator)
    response = client.post(
        reverse("review:return_detail", args=[ret.pk]), {"rag": "green", "comment": "", "version": ret.version}
    )
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.rag == "green"
    page = client.get(reverse("review:programme", args=[carers.programme.pk])).content.decode()
    assert "2011-12 Q1: actual 66, target 70" in page
    assert "No baseline set" in page


def test_provider_cannot_rate_their_own_return(client, personas, carers):
    ret = _submit(personas.provider, carers.own, {carers.satisfied.pk: "65", carers.supported.pk: "120"})
    client.force_login(personas.provider)
    assert client.get(reverse("review:return_detail", args=[ret.pk])).status_code == 200
    response = client.post(reverse("review:return_detail", args=[ret.pk]), {"rag": "green"})
    assert response.status_code == 403
    ret.refresh_from_db()
    assert ret.rag == ""


def test_overdue_returns_are_listed(personas, carers):
    _submit(personas.provider, carers.own, {carers.satisfied.pk: "65", carers.supported.pk: "120"})
    overdue = selectors.overdue_returns(selectors.services_for(personas.provider), today=date(2011, 11, 15))
    assert [(o.period_label, o.state) for o in overdue] == [("2011-12 Q2", "missing")]


def test_service_page_shows_its_measures_to_the_programme_and_its_provider_only(client, personas, carers):
    _submit(personas.provider, carers.own, {carers.satisfied.pk: "65", carers.supported.pk: "120"})
    client.force_login(personas.evaluator)
    page = client.get(reverse("core_groups:commission", args=[carers.own.pk])).content.decode()
    assert "Outcomes and performance measures" in page and "2011-12 Q1: actual 65, target 70" in page
    client.force_login(personas.provider)
    page = client.get(reverse("core_groups:commission", args=[carers.own.pk])).content.decode()
    assert "2011-12 Q1: actual 65, target 70" in page and "Make a quarterly return" in page
    page = client.get(reverse("core_groups:commission", args=[carers.other.pk])).content.decode()
    assert "Outcomes and performance measures" not in page


def test_team_adds_a_measure_and_a_target_without_a_period_is_refused(client, personas, carers):
    client.force_login(personas.evaluator)
    response = client.post(
        reverse("review:measure_add", args=[carers.programme.pk]),
        {
            "title": "Carers with a plan",
            "kind": "better_off",
            "unit": "percentage",
            "direction": "higher",
            "baseline_value": "140",
            "baseline_date": "2011-03-31",
        },
    )
    assert response.status_code == 200 and "cannot be more than 100" in response.content.decode()
    assert not Measure.objects.filter(title="Carers with a plan").exists()
    response = client.post(
        reverse("review:measure_add", args=[carers.programme.pk]),
        {"title": "Carers with a plan", "kind": "better_off", "unit": "percentage", "direction": "higher"},
    )
    assert response.status_code == 302
    measure = Measure.objects.get(title="Carers with a plan")
    response = client.post(reverse("review:target_set", args=[measure.pk]), {"value": "50"})
    assert response.status_code == 200 and "A target needs the period" in response.content.decode()
    assert not measure.targets.exists()
    client.post(
        reverse("review:target_set", args=[measure.pk]),
        {"value": "50", "period_start": "2011-04-01", "period_end": "2011-06-30"},
    )
    assert measure.targets.get().period_label == "2011-12 Q1"
    page = client.get(reverse("review:programme", args=[carers.programme.pk])).content.decode()
    assert "Carers with a plan" in page and "No baseline set" in page
