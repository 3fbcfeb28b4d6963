"""The contracts register: three KPIs over £5m, no end before the start, the list's filters and CSV export,
and expiry alerts at 9, 6 and 3 months, each sent once."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from foundation.models import Notification
from review import rules, services
from review.models import Contract, ContractAlert
from tests.factories import OrganisationFactory, PartnershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(personas):
    programme = ProgrammeFactory(name="Carers' services")
    supplier = OrganisationFactory(name="Crossroads Care", provider=True)
    contract = services.contract_create(
        user=personas.evaluator,
        programme=programme,
        title="Carers' respite",
        supplier=supplier,
        value=Decimal("240000.00"),
        start_on=date(2024, 4, 1),
        end_on=date(2027, 3, 31),
        extension_options="One optional extension of 12 months",
        manager=personas.officer,
    )
    return type("Register", (), {"programme": programme, "supplier": supplier, "contract": contract})


def _big(personas, register, kpis):
    return services.contract_create(
        user=personas.evaluator,
        programme=register.programme,
        title="Integrated carers' service",
        supplier=register.supplier,
        value=Decimal("5000000.01"),
        start_on=date(2025, 4, 1),
        end_on=date(2030, 3, 31),
        kpis=kpis,
    )


def test_over_five_million_needs_three_kpis(personas, register):
    with pytest.raises(ValidationError) as excinfo:
        _big(personas, register, "Carers assessed within 28 days\nCarers satisfied")
    assert "three" in " ".join(excinfo.value.message_dict["kpis"]) or "3" in excinfo.value.message_dict["kpis"][0]
    assert not Contract.objects.filter(title="Integrated carers' service").exists()
    contract = _big(personas, register, "Carers assessed within 28 days\nCarers satisfied\n- Respite nights")
    assert contract.kpi_list == ["Carers assessed within 28 days", "Carers satisfied", "Respite nights"]


def test_exactly_five_million_needs_no_kpis():
    assert rules.kpi_problem(Decimal("5000000.00"), "") is None
    assert rules.kpi_problem(Decimal("5000000.01"), "one\ntwo") is not None


def test_end_before_start_is_refused(personas, register):
    with pytest.raises(ValidationError) as excinfo:
        services.contract_create(
            user=personas.evaluator,
            programme=register.programme,
            title="Backwards",
            supplier=register.supplier,
            value=Decimal("1000.00"),
            start_on=date(2025, 4, 1),
            end_on=date(2025, 3, 31),
        )
    assert "end_on" in excinfo.value.message_dict
    assert not Contract.objects.filter(title="Backwards").exists()


def test_form_redisplays_errors_beside_fields(client, personas, register):
    client.force_login(personas.evaluator)
    page = client.post(
        reverse("review:contract_add"),
        {
            "programme": register.programme.pk,
            "title": "Big one",
            "supplier": register.supplier.pk,
            "value": "6000000",
            "start_on": "2025-04-01",
            "end_on": "2024-04-01",
            "kpis": "Only one",
        },
    )
    assert page.status_code == 200
    form = page.context["form"]
    assert "end_on" in form.errors and "kpis" in form.errors
    assert not Contract.objects.filter(title="Big one").exists()


def test_list_filters_and_exports_csv(client, personas, register):
    other = services.contract_create(
        user=personas.evaluator,
        programme=register.programme,
        title="Advocacy",
        supplier=OrganisationFactory(name="Advocacy Ltd"),
        value=Decimal("1000.00"),
        start_on=date(2020, 4, 1),
        end_on=date(2021, 3, 31),
    )
    client.force_login(personas.evaluator)
    page = client.get(reverse("review:contracts"), {"state": "ended"})
    assert list(page.context["contracts"]) == [other]
    page = client.get(reverse("review:contracts"), {"supplier": register.supplier.pk})
    assert list(page.context["contracts"]) == [register.contract]
    export = client.get(reverse("review:contract_export"), {"supplier": register.supplier.pk})
    assert export["Content-Type"].startswith("text/csv")
    text = export.content.decode("utf-8-sig")
    assert "Carers' respite" in text and "Advocacy" not in text
    assert "One optional extension of 12 months" in text


def test_another_partnerships_contracts_are_not_listed(client, personas, register):
    elsewhere = ProgrammeFactory(name="Elsewhere", partnership=PartnershipFactory(short_name="elsewhere"))
    services.contract_create(
        user=personas.admin,
        programme=elsewhere,
        title="Not yours",
        supplier=register.supplier,
        value=Decimal("1.00"),
        start_on=date(2025, 1, 1),
        end_on=date(2026, 1, 1),
    )
    client.force_login(personas.evaluator)
    titles = [c.title for c in client.get(reverse("review:contracts")).context["contracts"]]
    assert titles == ["Carers' respite"]


def test_expiry_alert_thresholds():
    end = date(2027, 3, 31)
    assert rules.expiry_alert_due(end, date(2026, 6, 29)) is None
    assert rules.expiry_alert_due(end, date(2026, 6, 30)) == 9
    assert rules.expiry_alert_due(end, date(2026, 9, 30)) == 6
    assert rules.expiry_alert_due(end, date(2026, 12, 31)) == 3
    assert rules.expiry_alert_due(end, date(2027, 4, 1)) is None


def test_expiry_alerts_are_sent_once_each(personas, register):
    officer_alerts = Notification.objects.filter(recipient=personas.officer)
    assert services.contract_expiry_sweep(today=date(2026, 6, 1)) == 0
    assert services.contract_expiry_sweep(today=date(2026, 6, 30)) == 1
    assert services.contract_expiry_sweep(today=date(2026, 7, 1)) == 0
    assert officer_alerts.count() == 1
    assert services.contract_expiry_sweep(today=date(2026, 10, 1)) == 1
    assert services.contract_expiry_sweep(today=date(2026, 10, 2)) == 0
    assert services.contract_expiry_sweep(today=date(2027, 1, 5)) == 1
    assert services.contract_expiry_sweep(today=date(2027, 1, 6)) == 0
    assert sorted(ContractAlert.objects.values_list("months", flat=True)) == [3, 6, 9]
    assert officer_alerts.count() == 3


def test_a_contract_entered_late_gets_only_the_nearest_alert(personas, register):
    assert services.contract_expiry_sweep(today=date(2026, 11, 1)) == 1
    assert list(ContractAlert.objects.values_list("months", flat=True)) == [6]


def test_beat_schedule_exists():
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.filter(task="review.sweep_contract_expiry", enabled=True).exists()


def test_edit_page_saves_checks_the_version_and_restarts_alerts_for_a_new_end(client, personas, register):
    contract = register.contract
    services.contract_expiry_sweep(today=date(2026, 6, 30))  # 9 months before 31 March 2027
    assert list(contract.alerts.values_list("months", flat=True)) == [9]
    url = reverse("review:contract_edit", args=[contract.pk])
    client.force_login(personas.evaluator)
    form = client.get(url).context["form"]
    data = {
        name: form[name].value() for name in form.fields if name not in ("measures", "programme") and form[name].value()
    }
    data.update(end_on="2028-03-31", extension_options="Extension of 12 months taken", version="1")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    contract.refresh_from_db()
    assert (contract.end_on, contract.version) == (date(2028, 3, 31), 2)
    assert not contract.alerts.exists()  # the new end date's alerts start afresh
    # A second editor who opened the page at version 1 is told, and nothing of theirs is saved.
    stale = client.post(url, {**data, "value": "1.00"})
    assert stale.status_code == 200 and "while you were editing it" in stale.content.decode()
    contract.refresh_from_db()
    assert contract.value == Decimal("240000.00")
    # Bad input comes back beside its field; nothing saved.
    bad = client.post(url, {**data, "version": "2", "end_on": "2020-01-01"})
    assert bad.status_code == 200 and "cannot end before it starts" in bad.content.decode()
    contract.refresh_from_db()
    assert contract.end_on == date(2028, 3, 31)


def test_only_the_programme_team_edits_a_contract(client, personas, register):
    client.force_login(personas.officer)
    assert client.get(reverse("review:contract_edit", args=[register.contract.pk])).status_code == 403
    with pytest.raises(Exception, match="programme team"):
        services.contract_update(user=personas.officer, contract=register.contract, expected_version=1, title="Changed")
    register.contract.refresh_from_db()
    assert register.contract.title == "Carers' respite"
