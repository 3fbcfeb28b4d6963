import io

import pytest
from django.core.management import call_command

from core_groups.models import Commission, CoreGroup, Programme, Risk
from core_groups.selectors import programme_year_position

pytestmark = pytest.mark.django_db


def test_cymorth_demo_is_complete_and_idempotent():
    call_command("seed_demo", "--force", stdout=io.StringIO())
    call_command("seed_demo", "--force", stdout=io.StringIO())
    cymorth = Programme.objects.get(name="Cymorth")
    assert (cymorth.funder, cymorth.first_year, cymorth.length_years) == ("Welsh Assembly Government", 2010, 3)
    assert 3 <= CoreGroup.objects.filter(programme=cymorth).count() <= 4
    position = programme_year_position(cymorth, 2010)
    assert any(r.overspend for r in position.rows) and any(r.underspend for r in position.rows)
    single = Commission.objects.filter(core_group__programme=cymorth, phase="phase_1", route="single_tender")
    assert single.count() == 4 and all(c.business_case and c.business_case_decision == "approved" for c in single)
    assert Commission.objects.filter(core_group__programme=cymorth, phase="phase_2").exists()
    titles = " ".join(Risk.objects.filter(programme=cymorth).values_list("title", flat=True))
    for word in ["Complaints", "capacity", "TUPE", "Voluntary-sector"]:
        assert word in titles
    assert all(r.mitigation for r in Risk.objects.filter(programme=cymorth))
    assert CoreGroup.objects.filter(memberships__user__username="member").exists()
    assert CoreGroup.objects.filter(memberships__user__username="provider").exists()
