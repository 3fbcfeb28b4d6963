"""Every form choice on every page a person can open lists only their partnership's objects (issue 12 item 3).

The pages are those the permission table (expectations.py) says the persona opens with 200, built by the same
machinery as the CSP and accessibility sweeps (pages.py). Beside the home partnership's records, a second
partnership holds organisations, people, a programme, core group, commission and timetable template whose names
appear nowhere else: no <option> (nor checkbox label) of any page may name one of them.
"""

import re

import pytest
from django.test import override_settings

from core_groups import roles
from core_groups.models import Organisation
from tests import factories
from tests.permissions.pages import product_pages

MARK = "Zzelsewhere"
OPTION = re.compile(r"<option[^>]*>(.*?)</option>", re.S)
LABEL = re.compile(r"<label[^>]*>\s*<input[^>]*type=\"checkbox\"[^>]*>(.*?)</label>", re.S)


def _elsewhere():
    from procurement.models import TimetableTemplate

    other = factories.PartnershipFactory(short_name="elsewhere", name=f"{MARK} partnership")
    council = factories.OrganisationFactory(
        name=f"{MARK} County Council", kind=Organisation.Kind.COUNTY, partnerships=[other]
    )
    provider = factories.OrganisationFactory(name=f"{MARK} Care Ltd", provider=True, partnerships=[other])
    officer = factories.UserFactory(
        username="zz_officer",
        first_name=MARK,
        last_name="Officer",
        organisation=council,
        partnership=other,
        roles=[roles.OFFICER],
    )
    programme = factories.ProgrammeFactory(name=f"{MARK} programme", partnership=other, lead_organisation=council)
    group = factories.CoreGroupFactory(programme=programme, name=f"{MARK} group")
    factories.CommissionFactory(core_group=group, title=f"{MARK} commission", lead_officer=officer, provider=provider)
    template = TimetableTemplate.objects.filter(partnership__isnull=True).first()
    if template is not None:
        TimetableTemplate.objects.create(
            partnership=other, name=f"{MARK} template", procedure=template.procedure, regime=template.regime
        )
    return other


@pytest.mark.parametrize("persona", ["officer", "evaluator", "body", "member"])
def test_no_form_choice_names_another_partnerships_object(client, personas, persona, tmp_path):
    _elsewhere()
    client.force_login(personas[persona])
    leaks = []
    with override_settings(MEDIA_ROOT=tmp_path):
        pages = product_pages(personas, persona)
        assert pages, f"no page found for {persona}"
        for key, url in pages:
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            for text in OPTION.findall(html) + LABEL.findall(html):
                if MARK in text:
                    leaks.append(f"{key} {url}: {text.strip()[:80]}")
    assert not leaks, "Choices of another partnership offered:\n" + "\n".join(leaks)
