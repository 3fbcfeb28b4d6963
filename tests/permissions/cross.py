"""Personas of a second partnership (issue 12 item 7): every URL of the table is tried across the boundary.

The records the rows build belong to the home partnership (tests.factories.home_partnership). The personas here
hold the same roles in another partnership ("Elsewhere"), with an organisation of their own. For them:

- a page about one object (the row has kwargs) answers 404 on GET and POST, and writes nothing: another
  partnership's object is simply not found, never a 403 naming it (405 stays 405 where the method is refused
  for everybody, and a Django admin page may send a non-staff persona to the admin's sign-in);
- a page about no object answers what the same role gets at home (their own partnership's list, dashboard or
  form), or a refusal; a POST to it that names the home partnership's records (the row's payload) is refused or
  redisplays the form, and never redirects as saved.
"""

from tests.permissions.expectations import ADMIN_LOGIN, LOGIN, REDIRECT

# Cross-partnership persona -> the home persona with the same role.
COUNTERPART = {
    "x_officer": "officer",
    "x_evaluator": "evaluator",
    "x_body": "body",
    "x_admin": None,  # a partnership administrator (staff, not superuser): no home twin
}
CROSS_PERSONAS = tuple(COUNTERPART)
REFUSALS = (400, 403, 404, 405)
# Rows with kwargs that name no partnership's object: a national record (a service area) or a token.
NATIONAL_MODELS = {"partnerships.ServiceArea", "partnerships.SharedOption", "procurement.ReminderSettings"}
NOT_OWNED = {"password_reset_confirm", "partnerships:service_procurement"}


def make_cross_personas():
    from core_groups import roles
    from core_groups.models import Organisation
    from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory

    elsewhere = PartnershipFactory(short_name="elsewhere", name="Elsewhere partnership")
    council = OrganisationFactory(
        name="Elsewhere City Council", kind=Organisation.Kind.UNITARY, partnerships=[elsewhere]
    )

    def person(username, role, **extra):
        return UserFactory(username=username, organisation=council, partnership=elsewhere, roles=[role], **extra)

    return {
        "elsewhere": elsewhere,
        "x_officer": person("x_officer", roles.OFFICER),
        "x_evaluator": person("x_evaluator", roles.PROGRAMME_TEAM),
        "x_body": person("x_body", roles.COMMISSIONING_BODY),
        "x_admin": person("x_admin", roles.ADMINISTRATOR, is_staff=True),
    }


def _as_tuple(value):
    return value if isinstance(value, tuple) else (value,)


def expected(rule, key, persona, method):
    """What a cross-partnership persona gets on this row."""
    home = rule.get if method == "GET" else rule.post
    twin = COUNTERPART[persona]
    twin_status = _as_tuple(home[twin]) if twin else ()
    admin_page = key.startswith("admin:")
    if rule.kwargs is not None and key not in NOT_OWNED:
        # Not found; or refused before any lookup where the same role is refused at home (reveals nothing).
        allowed = (404,) + tuple(s for s in twin_status if s in REFUSALS)
        if twin is None:
            allowed += (403, 405)
        if admin_page:
            allowed += (ADMIN_LOGIN, 403)
        return allowed
    if admin_page:
        return twin_status + (ADMIN_LOGIN, 200, 403) if persona == "x_admin" else twin_status or (ADMIN_LOGIN,)
    if twin is None and not rule.data:
        # The partnership administrator on a page of no object and no payload (sign-in, sign-out, mark read).
        return (200, REDIRECT, LOGIN) + REFUSALS
    if method == "POST":
        # Refused, or the form again with the home partnership's choices refused: never saved.
        saved = tuple(s for s in twin_status if s != REDIRECT) if rule.data else twin_status
        return saved + REFUSALS + (200,)
    if persona == "x_admin":
        return (200, REDIRECT) + REFUSALS
    return twin_status


def home_names(personas):
    """Names of the home partnership's records the row built, which no page of another partnership may show."""
    names = []
    for obj in personas.get("_objects", {}).values():
        label = getattr(getattr(obj, "_meta", None), "label", "")
        if label in NATIONAL_MODELS or (hasattr(obj, "partnership_id") and obj.partnership_id is None):
            continue  # national reference data: every partnership reads it
        for attr in ("title", "name"):
            value = getattr(obj, attr, None)
            if isinstance(value, str) and len(value) >= 8:
                names.append(value)
    return names
