import datetime as dt

import pytest

from core_groups.models import Organisation
from procurement import services
from procurement.models import TimetableTemplate
from procurement.template_library import LEEDS_TEMPLATE_NAME, LIGHT_TOUCH_TEMPLATE, PSR_TEMPLATE
from tests.factories import home_partnership

# The Leeds partnership's own template (Leeds' 36 steps), installed for the partnership the tests work in.
LEEDS_TEMPLATE = LEEDS_TEMPLATE_NAME
PA2023_TEMPLATE = "Open procedure (Procurement Act 2023)"
__all__ = ["LEEDS_TEMPLATE", "LIGHT_TOUCH_TEMPLATE", "PA2023_TEMPLATE", "PSR_TEMPLATE", "make_project"]


@pytest.fixture(autouse=True)
def _templates(request):
    """Shipped templates come from a data migration; a transactional test elsewhere may have flushed them. The
    Leeds template is the partnership's own (not a national one): installed for the tests' home partnership."""
    if request.node.get_closest_marker("django_db"):
        services.templates_install()
        services.leeds_template_install(partnership=home_partnership())


@pytest.fixture
def leeds_org(db):
    org, _ = Organisation.objects.get_or_create(
        name="Leeds City Council", defaults={"kind": Organisation.Kind.UNITARY, "is_commissioning_partner": True}
    )
    org.partnerships.add(home_partnership())
    return org


def make_project(lead, *, reference="4092", template=LEEDS_TEMPLATE, start=dt.date(2010, 4, 1), tupe=True, **kw):
    if template == LEEDS_TEMPLATE:
        services.leeds_template_install(partnership=home_partnership())
    return services.project_create(
        title=kw.pop("title", "Neighbourhood Networks"),
        reference=reference,
        # The procedure and regime are the template's unless a test says otherwise: the Leeds timetable is a
        # light-touch one, and drawn for the standard regime it lacks the Act's steps (issue 14).
        procedure=kw.pop("procedure", TimetableTemplate.objects.get(name=template).procedure),
        regime=kw.pop("regime", TimetableTemplate.objects.get(name=template).regime),
        lead_organisation=lead,
        contract_start=start,
        template=TimetableTemplate.objects.get(name=template),
        tupe=tupe,
        **kw,
    )


@pytest.fixture
def leeds_project(leeds_org, personas):
    return make_project(leeds_org, project_manager=personas.evaluator)
