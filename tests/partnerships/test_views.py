"""Pages of shared commissioning: who sees what, the import page, the map, the savings model, preferences."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core_groups import roles
from core_groups.demo import seed_organisations
from core_groups.models import Organisation
from partnerships import demo, services
from partnerships.models import FundingArrangement, PartnerPreference, ServiceArea, SharedOption
from tests.factories import UserFactory, home_partnership, join_home_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(personas):
    seed_organisations()
    join_home_partnership()
    services.register_import(partnership=home_partnership(), name="demo.csv", data=demo.DEMO_CSV.read_bytes())
    return personas


@pytest.fixture
def scc_officer(register):
    return UserFactory(
        username="scc",
        organisation=Organisation.objects.get(name="Staffordshire County Council"),
        roles=[roles.OFFICER],
    )


def _login(client, user):
    client.force_login(user)
    return client


def test_map_shows_the_seeds_counts_and_totals(client, register):
    response = _login(client, register.evaluator).get(reverse("partnerships:map"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "28 with CABx, 55 with CVS/VAST and 17 with Asist, 100 in all" in text
    assert "£426,937" in text
    assert "<svg" in text and "style=" not in text


def test_provider_user_sees_counts_but_never_money(client, register):
    _login(client, register.provider)
    page = client.get(reverse("partnerships:map")).content.decode()
    assert "100 in all" in page
    assert "£" not in page
    listing = client.get(reverse("partnerships:register")).content.decode()
    assert "17 arrangements" in listing  # only Asist's own
    assert "£" not in listing
    assert client.get(reverse("partnerships:savings")).status_code == 403
    assert client.get(reverse("partnerships:export")).status_code == 403
    assert "£" not in client.get(reverse("partnerships:preferences")).content.decode()


def test_outsider_cannot_import_or_read(client, register):
    _login(client, register.outsider)
    upload = SimpleUploadedFile("r.csv", demo.DEMO_CSV.read_bytes(), content_type="text/csv")
    assert client.post(reverse("partnerships:import"), {"file": upload}).status_code == 403
    assert client.get(reverse("partnerships:register")).status_code == 403
    _login(client, register.officer)
    assert client.get(reverse("partnerships:import")).status_code == 403


def test_officer_reads_own_arrangements_and_gets_404_for_others(client, scc_officer):
    _login(client, scc_officer)
    listing = client.get(reverse("partnerships:register")).content.decode()
    assert "22 arrangements" in listing
    own = FundingArrangement.objects.filter(funder=scc_officer.organisation).first()
    other = FundingArrangement.objects.exclude(funder=scc_officer.organisation).first()
    assert client.get(reverse("partnerships:arrangement", args=[own.pk])).status_code == 200
    assert client.get(reverse("partnerships:arrangement", args=[other.pk])).status_code == 404
    export = client.get(reverse("partnerships:export") + "?format=csv").content.decode("utf-8-sig")
    assert len(export.strip().splitlines()) == 23


def test_import_page_lists_the_bad_row_and_saves_nothing(client, personas):
    seed_organisations()
    join_home_partnership()
    rows = list(csv.reader(io.StringIO(demo.DEMO_CSV.read_bytes().decode("utf-8-sig"))))
    rows[9][rows[0].index("Start date")] = "1st April"  # line 10 of the file
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    upload = SimpleUploadedFile("register.csv", out.getvalue().encode(), content_type="text/csv")
    response = _login(client, personas.evaluator).post(reverse("partnerships:import"), {"file": upload})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported from register.csv" in text
    assert "<td>10</td><td>Start date</td><td>1st April</td>" in text
    assert FundingArrangement.objects.count() == 0
    good = SimpleUploadedFile("register.csv", demo.DEMO_CSV.read_bytes(), content_type="text/csv")
    response = client.post(reverse("partnerships:import"), {"file": good})
    assert response.status_code == 302
    assert FundingArrangement.objects.count() == 100


def test_templates_and_excel_export_download(client, register):
    _login(client, register.evaluator)
    csv_template = client.get(reverse("partnerships:template") + "?format=csv")
    assert csv_template.content.decode("utf-8-sig").startswith("Reference,Funder,Provider")
    xlsx = client.get(reverse("partnerships:template") + "?format=xlsx")
    assert xlsx.content[:2] == b"PK"
    export = client.get(reverse("partnerships:export") + "?format=xlsx&provider=" + str(register.provider_org.pk))
    assert export.content[:2] == b"PK"


def test_savings_page_reproduces_the_seed_from_the_url(client, register):
    _login(client, register.officer)
    page = client.get(reverse("partnerships:savings")).content.decode()
    start = page.index('href="', page.index("Examples from the seed")) + 6
    url = page[start : page.index('"', start)].replace("&amp;", "&")
    result = client.get(url).content.decode()
    assert "£426,937.00" in result and "£109,289.00" in result and "£317,648.00" in result
    five_start = page.index('href="', start) + 6
    five_url = page[five_start : page.index('"', five_start)].replace("&amp;", "&")
    five = client.get(five_url).content.decode()
    assert "£347,365.00" in five and "£81,867.00" in five and "£265,498.00" in five


def test_savings_page_with_no_partners_says_so(client, register):
    _login(client, register.officer)
    area = ServiceArea.objects.get(code="advocacy")
    response = client.get(
        reverse("partnerships:savings"),
        {"run": "1", "service_areas": area.pk, "cost_advocacy": "0", "contracts_advocacy": "1"},
    )
    assert response.status_code == 200
    assert "at least one partner" in response.content.decode()
    partner = Organisation.objects.get(name="Staffordshire County Council")
    response = client.get(
        reverse("partnerships:savings"),
        {"run": "1", "partners": partner.pk, "service_areas": area.pk, "cost_advocacy": "0"},
    )
    assert "must be more than £0" in response.content.decode()


def test_officer_records_own_preference_and_stale_edit_is_refused(client, scc_officer):
    _login(client, scc_officer)
    area = ServiceArea.objects.get(code="advocacy")
    aligned = SharedOption.objects.get(kind="aligned_budgets")
    data = {
        "partner": scc_officer.organisation.pk,
        "service_area": area.pk,
        "option": aligned.pk,
        "cabinet_decision_needed": "on",
        "decision_date": "2011-11-24",
        "annual_contribution": "",
    }
    response = client.post(reverse("partnerships:preference_add"), data)
    assert "Aligned budgets need the annual contribution" in response.content.decode()
    data["annual_contribution"] = "180000"
    assert client.post(reverse("partnerships:preference_add"), data).status_code == 302
    pref = PartnerPreference.objects.get()
    assert pref.annual_contribution == Decimal("180000")
    # Someone else changes it; a form opened before that is refused, not silently overwritten.
    services.preference_record(
        partner=pref.partner, service_area=area, option=aligned, annual_contribution=Decimal("1"), expected_version=1
    )
    stale = client.post(reverse("partnerships:preference_edit", args=[pref.pk]), {**data, "version": 1})
    assert "changed this preference" in stale.content.decode() and "while you were editing it" in stale.content.decode()
    other = Organisation.objects.get(name="Tamworth Borough Council")
    response = client.post(reverse("partnerships:preference_add"), {**data, "partner": other.pk})
    assert response.status_code == 200 and PartnerPreference.objects.filter(partner=other).count() == 0
    page = client.get(reverse("partnerships:preferences")).content.decode()
    assert "£1" in page


def test_dashboard_panel_and_navigation(client, register):
    page = _login(client, register.evaluator).get(reverse("home")).content.decode()
    assert "Shared commissioning" in page and "100 funding arrangements" in page
    _login(client, register.outsider)
    assert "Shared commissioning" not in client.get(reverse("home")).content.decode()
