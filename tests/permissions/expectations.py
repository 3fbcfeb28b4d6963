"""THE permission table: for every URL of the product, who gets what on GET and on POST.

tests/permissions/test_matrix.py reads the URL patterns from Django's resolver and checks each one
against the row here, for every persona and both methods. A URL without a row fails the test, and so
does a row whose URL no longer exists. A refused request (login redirect, 403, 404, 405) must write
nothing to the database (tests/permissions/writes.py watches every statement it sends).

How to add a row (one per URL name, "namespace:name"):

    "growth_bids:bid_detail": Rule(
        kwargs=lambda p: {"pk": objects.bid(p).pk},       # p = the personas; builders in objects.py
        get=signed_in(404, officer=200, evaluator=200, body=200, admin=200),
        post=signed_in(405),
        data=lambda p, kwargs: {"title": "Changed"},      # optional POST payload (default: empty)
    ),

Statuses: an int (200, 403, 404, 405 ...), LOGIN (a redirect to the sign-in page), ADMIN_LOGIN (a
redirect to the admin's sign-in page), REDIRECT (any other redirect), or a tuple of these when more
than one is acceptable. Helpers build a full row from a default plus the exceptions:
    everyone(200)                       every persona, signed in or not
    signed_in(200)                      anonymous -> LOGIN, everybody else 200
    signed_in(404, admin=200)           anonymous -> LOGIN, admin 200, everybody else 404
    staff_only(200)                     the admin 200; anonymous and everybody else -> ADMIN_LOGIN

The personas (tests.factories.make_personas): anonymous; officer (Kent County Council, the owning
organisation); other_officer (another council); provider (a provider organisation's user in the core
group: never sees money); evaluator (programme team); body (Commissioning Body member); member (core
group member, owning organisation); admin (administrator, superuser, staff).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from procurement.services import task_version
from tests.permissions import objects

PERSONAS = ("anonymous", "officer", "other_officer", "provider", "evaluator", "body", "member", "admin")
SIGNED_IN = PERSONAS[1:]

LOGIN = "login"
ADMIN_LOGIN = "admin-login"
REDIRECT = "redirect"
REFUSED = (LOGIN, ADMIN_LOGIN, 400, 403, 404, 405)


def _row(default, anonymous=None, **overrides):
    unknown = set(overrides) - set(PERSONAS)
    if unknown:
        raise ValueError(f"Unknown persona(s) {sorted(unknown)}; the personas are {PERSONAS}")
    row = dict.fromkeys(PERSONAS, default)
    if anonymous is not None:
        row["anonymous"] = anonymous
    row.update(overrides)
    return row


def everyone(status, **overrides):
    return _row(status, **overrides)


def signed_in(status, anonymous=LOGIN, **overrides):
    return _row(status, anonymous=anonymous, **overrides)


def staff_only(status, others=ADMIN_LOGIN, **overrides):
    return _row(others, **{"admin": status, **overrides})


@dataclass
class Rule:
    get: dict
    post: dict
    kwargs: Callable[[Any], dict] | None = None
    data: Callable[[Any, dict], dict] | None = None
    note: str = ""
    # Personas whose POST is answered with a redirect (and a message) yet must change nothing.
    unchanged: tuple = ()
    extra: dict = field(default_factory=dict)


# --- kwargs, payloads and groups of personas shared by several rows --------------------------------
PROGRAMME = lambda p: {"pk": objects.programme(p).pk}  # noqa: E731
GROUP = lambda p: {"pk": objects.core_group(p).pk}  # noqa: E731
COMMISSION = lambda p: {"pk": objects.commission(p).pk}  # noqa: E731
RISK = lambda p: {"pk": objects.risk(p).pk}  # noqa: E731
PROJECT = lambda p: {"pk": objects.project(p).pk}  # noqa: E731
ROUND = lambda p: {"pk": objects.funding_round(p).pk}  # noqa: E731
BID = lambda p: {"pk": objects.bid(p).pk}  # noqa: E731
# Who reads the submitted bid: its applicant's officer, the supporting council's officer, the team and
# the Body. The provider's user and the core group member (no role in bids) get 404.
BID_READERS = {"provider": 404, "member": 404}
# Who does not learn that the project exists: another council's officer and the provider's user.
PROJECT_STRANGERS = {"other_officer": 404, "provider": 404}


def _timetable(p):
    """The project's current timetable as it is now (its lock version moves on with each change)."""
    from procurement.models import Timetable

    return Timetable.objects.get(pk=objects.task(p).timetable_id)


REPORT = lambda p: {"pk": objects.board_report(p).pk}  # noqa: E731
# Board reports are read by the programme team, the Body and the members of the programme's core groups
# (the member and the provider's user); officers outside them do not learn that a report exists.
REPORT_OUTSIDERS = {"officer": 404, "other_officer": 404}


def GROUP_EDITORS(status):  # noqa: N802  (reads as a constant in the table)
    """The core group's members (the member and the provider's user) and the programme team."""
    return {"member": status, "provider": status, "evaluator": status, "admin": status}


def DECIDERS(status):  # noqa: N802
    """The JCG (Commissioning Body) and the programme team."""
    return {"body": status, "evaluator": status, "admin": status}


def RETURN_PEOPLE(status):  # noqa: N802
    """Who works with returns: the service's provider (the provider persona) and the programme team."""
    return {"provider": status, "evaluator": status, "admin": status}


def RISK_DATA(p, kwargs):  # noqa: N802
    return {
        "title": "Forged risk",
        "description": "Written by the matrix.",
        "impact": 3,
        "likelihood": 2,
        "status": "open",
    }


def COMMISSION_DATA(p, kwargs):  # noqa: N802
    return {"title": "Forged commission", "phase": "phase_1", "route": "open_tender", "status": "scoping"}


def PREFERENCE_DATA(p):  # noqa: N802
    return {
        "partner": p.home.pk,
        "service_area": objects.service_area(p).pk,
        "option": objects.shared_option(p).pk,
        "annual_contribution": "1000.00",
        "notes": "Forged by the matrix.",
    }


RULES = {
    # --- commissioning: the home dashboard and the health check -------------------------------
    "home": Rule(get=signed_in(200), post=signed_in(405)),
    "decision_queue": Rule(
        get=signed_in(403, evaluator=200, body=200, admin=200),
        post=signed_in(403, evaluator=405, body=405, admin=405),
        note="What awaits a decision: the JCG/Body and the programme team only.",
    ),
    "decision_register": Rule(
        get=signed_in(403, evaluator=200, body=200, admin=200),
        post=signed_in(403, evaluator=405, body=405, admin=405),
        note="Every decision of the partnership: the programme team, the Body and administrators only.",
    ),
    "partnership:switch": Rule(
        get=signed_in(405),
        post=signed_in(404),
        note="POST only; a partnership that is not one's own (here: none named) is not found.",
    ),
    "healthz": Rule(get=everyone(200), post=everyone(405), note="GET/HEAD only: monitoring reads it."),
    # --- sign-in and passwords (django.contrib.auth views, the product's templates) -----------
    "login": Rule(
        get=signed_in(REDIRECT, anonymous=200),
        post=signed_in(REDIRECT, anonymous=200),
        note="A signed-in user is sent home; an empty form redisplays with errors.",
    ),
    "logout": Rule(get=everyone(405), post=everyone(LOGIN), note="Sign-out is POST only; it ends on the sign-in page."),
    "password_change": Rule(get=signed_in(200), post=signed_in(200)),
    "password_change_done": Rule(get=signed_in(200), post=signed_in(405)),
    "password_reset": Rule(get=everyone(200), post=everyone(200)),
    "password_reset_done": Rule(get=everyone(200), post=everyone(405)),
    "password_reset_confirm": Rule(
        kwargs=lambda p: {"uidb64": "MQ", "token": "stale-token"},
        get=everyone(200),
        post=everyone(200),
        note="A stale or forged link shows the invalid-link page to everybody and changes nothing.",
    ),
    "password_reset_complete": Rule(get=everyone(200), post=everyone(405)),
    # --- Django admin: the administrator's tool (is_staff); the rest of admin is covered by the
    # CSRF and CSP sweeps in tests/security/ ---------------------------------------------------
    "admin:index": Rule(get=staff_only(200), post=staff_only(200)),
    # --- core_groups -----------------------------------------------------------------------------
    # Everyone signed in reads programmes, groups, the work plan and risks (money is hidden from
    # providers on the page, see tests/core_groups); the group's members and the programme team edit;
    # spend is money, so the provider's user never records it; the JCG (body) and programme team set
    # allocations and decide specifications and business cases.
    "core_groups:index": Rule(get=signed_in(200), post=signed_in(405)),
    "core_groups:programme": Rule(kwargs=PROGRAMME, get=signed_in(200), post=signed_in(405)),
    "core_groups:programme_risk_add": Rule(
        kwargs=lambda p: {"programme_pk": objects.programme(p).pk},
        get=signed_in(403, evaluator=200, admin=200),
        post=signed_in(403, evaluator=REDIRECT, admin=REDIRECT),
        data=RISK_DATA,
    ),
    "core_groups:group": Rule(kwargs=GROUP, get=signed_in(200), post=signed_in(405)),
    "core_groups:commission_add": Rule(
        kwargs=GROUP,
        get=signed_in(403, **GROUP_EDITORS(200)),
        post=signed_in(403, **GROUP_EDITORS(REDIRECT)),
        data=COMMISSION_DATA,
    ),
    "core_groups:spend_add": Rule(
        kwargs=lambda p: {"pk": objects.allocation(p).core_group_id},  # spend needs the year's allocation
        get=signed_in(403, member=200, evaluator=200, admin=200),
        post=signed_in(403, member=REDIRECT, evaluator=REDIRECT, admin=REDIRECT),
        data=lambda p, kw: {"spent_on": "2010-06-01", "amount": "100.00", "description": "Forged spend"},
        note="The provider's user is a member of the group but never records money.",
    ),
    "core_groups:allocation_set": Rule(
        kwargs=GROUP,
        get=signed_in(403, body=200, evaluator=200, admin=200),
        post=signed_in(403, body=REDIRECT, evaluator=REDIRECT, admin=REDIRECT),
        data=lambda p, kw: {"financial_year": "2011", "amount": "5000.00"},
    ),
    "core_groups:forecast": Rule(
        kwargs=lambda p: {"pk": objects.allocation(p).core_group_id, "year": objects.allocation(p).financial_year},
        get=signed_in(403, member=200, body=200, evaluator=200, admin=200),
        post=signed_in(403, member=REDIRECT, body=REDIRECT, evaluator=REDIRECT, admin=REDIRECT),
        data=lambda p, kw: {"forecast_outturn": "90000.00", "version": objects.allocation(p).version},
    ),
    "core_groups:group_risk_add": Rule(
        kwargs=lambda p: {"group_pk": objects.core_group(p).pk},
        get=signed_in(403, **GROUP_EDITORS(200)),
        post=signed_in(403, **GROUP_EDITORS(REDIRECT)),
        data=RISK_DATA,
    ),
    "core_groups:spend_edit": Rule(
        kwargs=lambda p: {"pk": objects.spend_entry(p).pk},
        get=signed_in(403, provider=404, member=200, evaluator=200, admin=200),
        post=signed_in(403, provider=404, member=REDIRECT, evaluator=REDIRECT, admin=REDIRECT),
        data=lambda p, kw: {"spent_on": "2010-07-01", "amount": "250.00", "description": "Changed", "version": 1},
        note="Spend is money: for the provider's user it does not exist.",
    ),
    "core_groups:commission_delete": Rule(
        kwargs=COMMISSION,
        get=signed_in(403, member=200, evaluator=200, admin=200),
        post=signed_in(403, member=REDIRECT, evaluator=REDIRECT, admin=REDIRECT),
        note="A provider's user edits the work plan but never removes a commission it may bid for.",
    ),
    "core_groups:risk_delete": Rule(
        kwargs=RISK,
        get=signed_in(403, member=200, evaluator=200, admin=200),
        post=signed_in(403, member=REDIRECT, evaluator=REDIRECT, admin=REDIRECT),
    ),
    "core_groups:risks_csv": Rule(get=signed_in(200), post=signed_in(405)),
    "core_groups:commissions": Rule(get=signed_in(200), post=signed_in(405)),
    "core_groups:commissions_csv": Rule(get=signed_in(200), post=signed_in(405)),
    "core_groups:commission": Rule(kwargs=COMMISSION, get=signed_in(200), post=signed_in(405)),
    "core_groups:commission_edit": Rule(
        kwargs=COMMISSION,
        get=signed_in(403, **GROUP_EDITORS(200)),
        post=signed_in(403, **{**GROUP_EDITORS(REDIRECT), "provider": 400}),
        note="A provider's user may not change the business case, route, status, provider, value or dates "
        "(core_groups.editing): the forged business case comes back refused (400) and nothing is written.",
        data=lambda p, kw: {
            **COMMISSION_DATA(p, kw),
            "route": "single_tender",
            "business_case": "Forged",
            "version": 1,
        },
    ),
    "core_groups:commission_specification": Rule(
        kwargs=COMMISSION,
        get=signed_in(405),
        post=signed_in(400, **DECIDERS(REDIRECT)),
        data=lambda p, kw: {"specification_state": "approved", "version": 1, "interest": "no_interest"},
        note="Only the JCG or programme team approves; others get the form back with the reason (400).",
    ),
    "core_groups:commission_business_case": Rule(
        kwargs=COMMISSION,
        get=signed_in(405),
        post=signed_in(400, **DECIDERS(REDIRECT)),
        data=lambda p, kw: {
            "business_case_decision": "approved",
            "business_case_decided_on": "2010-05-01",
            "version": objects.commission(p).version,
            "interest": "no_interest",
        },
    ),
    "core_groups:risks": Rule(get=signed_in(200), post=signed_in(405)),
    "core_groups:risk": Rule(kwargs=RISK, get=signed_in(200), post=signed_in(405)),
    "core_groups:risk_edit": Rule(
        kwargs=RISK,
        get=signed_in(403, **GROUP_EDITORS(200)),
        post=signed_in(403, **GROUP_EDITORS(REDIRECT)),
        data=lambda p, kw: {**RISK_DATA(p, kw), "version": 1},
    ),
    "core_groups:declarations": Rule(
        get=signed_in(200),
        post=signed_in(REDIRECT),
        data=lambda p, kw: {"organisation": p.provider_org.pk, "description": "Trustee of the provider."},
        note="Everyone signed in declares their own interests.",
    ),
    "core_groups:declarations_register": Rule(
        get=signed_in(403, evaluator=200, body=200, admin=200),
        post=signed_in(403, evaluator=405, body=405, admin=405),
    ),
    "core_groups:declaration_withdraw": Rule(
        kwargs=lambda p: {"pk": objects.interest(p).pk},
        get=signed_in(405),
        post=signed_in(404, member=REDIRECT, evaluator=REDIRECT, admin=REDIRECT),
        note="Somebody else's declaration does not exist for you (404); the programme team may withdraw any.",
    ),
    # --- procurement -----------------------------------------------------------------------------
    # A project is visible to its lead organisation's people (officer, member), its partners and the
    # people with a task in it, and to the programme team, the Body and the administrator; to anyone
    # else it does not exist (404). The project manager (officer) and the programme team re-plan it.
    "procurement:project_list": Rule(get=signed_in(200), post=signed_in(405)),
    "procurement:project_detail": Rule(
        kwargs=PROJECT, get=signed_in(200, other_officer=404, provider=404), post=signed_in(405)
    ),
    "procurement:project_gantt": Rule(
        kwargs=PROJECT, get=signed_in(200, other_officer=404, provider=404), post=signed_in(405)
    ),
    "procurement:timetable_compare": Rule(
        kwargs=PROJECT, get=signed_in(200, other_officer=404, provider=404), post=signed_in(405)
    ),
    "procurement:contract_start": Rule(
        kwargs=PROJECT,
        get=signed_in(403, officer=200, evaluator=200, admin=200, other_officer=404, provider=404),
        post=signed_in(403, officer=REDIRECT, evaluator=REDIRECT, admin=REDIRECT, other_officer=404, provider=404),
        data=lambda p, kw: {"contract_start": "2030-09-01", "expected_version": objects.project(p).version},
    ),
    "procurement:underspend": Rule(
        get=signed_in(403, evaluator=200, body=200, member=200, admin=200),
        post=signed_in(403, evaluator=405, body=405, member=405, admin=405),
        note="Financial detail: never for the provider's user, even as a core group member.",
    ),
    "procurement:project_create": Rule(
        get=signed_in(403, evaluator=200, admin=200),
        post=signed_in(403, evaluator=200, admin=200),
        note="Only the programme team starts a project; an empty form comes back to them.",
    ),
    "procurement:project_edit": Rule(
        kwargs=PROJECT,
        get=signed_in(403, officer=200, evaluator=200, admin=200, **PROJECT_STRANGERS),
        post=signed_in(403, officer=200, evaluator=200, admin=200, **PROJECT_STRANGERS),
        note="The project manager and the programme team; an empty form comes back to them.",
    ),
    "procurement:task_update": Rule(
        kwargs=lambda p: {"pk": objects.project(p).pk, "task_pk": objects.task(p).pk},
        get=signed_in(403, officer=200, member=200, evaluator=200, admin=200, **PROJECT_STRANGERS),
        post=signed_in(403, officer=REDIRECT, member=REDIRECT, evaluator=REDIRECT, admin=REDIRECT, **PROJECT_STRANGERS),
        data=lambda p, kw: {
            "status": "in_progress",
            "notes": "Forged by the matrix.",
            "precision": objects.task(p).precision,
            "starts_on": objects.task(p).starts_on or "",
            "due": objects.task(p).due or "",
            "version": task_version(objects.task(p)),
        },
        note="The member is the person responsible for the task; the Body reads the project but does not run it.",
    ),
    "procurement:task_arrange": Rule(
        kwargs=lambda p: {"pk": objects.project(p).pk, "task_pk": objects.task(p).pk},
        get=signed_in(403, officer=200, evaluator=200, admin=200, **PROJECT_STRANGERS),
        post=signed_in(403, officer=REDIRECT, evaluator=REDIRECT, admin=REDIRECT, **PROJECT_STRANGERS),
        # Moving the task to its own number: allowed people are sent back to the project, nothing moves.
        data=lambda p, kw: {
            "action": "to",
            "number": objects.task(p).number,
            "expected_lock": _timetable(p).lock_version,
        },
        note="Reordering and removing tasks is planning: the project manager and the programme team.",
    ),
    "procurement:task_insert": Rule(
        kwargs=PROJECT,
        get=signed_in(403, officer=200, evaluator=200, admin=200, **PROJECT_STRANGERS),
        post=signed_in(403, officer=REDIRECT, evaluator=REDIRECT, admin=REDIRECT, **PROJECT_STRANGERS),
        data=lambda p, kw: {
            "number": _timetable(p).tasks.count() + 1,
            "stage": "review",
            "activity": "Forged by the matrix.",
            "precision": "tbd",
            "expected_lock": _timetable(p).lock_version,
        },
        note="Adding tasks is planning: the project manager and the programme team.",
    ),
    "procurement:timetable_publish": Rule(
        kwargs=PROJECT,
        get=signed_in(403, officer=200, evaluator=200, admin=200, **PROJECT_STRANGERS),
        post=signed_in(403, officer=REDIRECT, evaluator=REDIRECT, admin=REDIRECT, **PROJECT_STRANGERS),
        data=lambda p, kw: {"change_note": "Forged by the matrix.", "expected_number": 1},
    ),
    "procurement:conflict_assessment_add": Rule(
        kwargs=PROJECT,
        get=signed_in(403, officer=200, evaluator=200, admin=200, **PROJECT_STRANGERS),
        post=signed_in(403, officer=REDIRECT, evaluator=REDIRECT, admin=REDIRECT, **PROJECT_STRANGERS),
        data=lambda p, kw: {"person": "Forged by the matrix", "finding": "none", "assessed_on": "2010-05-01"},
        note="Procurement Act 2023 s.83: the programme team and the project manager write the conflicts assessment; "
        "others who see the project read it on its page; a provider's user never sees it.",
    ),
    "procurement:conflict_assessment_edit": Rule(
        kwargs=lambda p: {"pk": objects.project(p).pk, "assessment_pk": objects.conflict_assessment(p).pk},
        get=signed_in(403, officer=200, evaluator=200, admin=200, **PROJECT_STRANGERS),
        post=signed_in(403, officer=REDIRECT, evaluator=REDIRECT, admin=REDIRECT, **PROJECT_STRANGERS),
        data=lambda p, kw: {
            "person": "Evaluation panel chair",
            "finding": "potential",
            "details": "Forged by the matrix.",
            "mitigations": "Forged by the matrix.",
            "assessed_on": "2010-05-01",
            "version": objects.conflict_assessment(p).version,
        },
    ),
    "procurement:project_risk_add": Rule(
        kwargs=PROJECT,
        get=signed_in(403, evaluator=200, admin=200, **PROJECT_STRANGERS),
        post=signed_in(403, evaluator=REDIRECT, admin=REDIRECT, **PROJECT_STRANGERS),
        data=RISK_DATA,
        note="The project has no commission (so no core group): only the programme team adds its risks.",
    ),
    # --- growth_bids -----------------------------------------------------------------------------
    # The round is open (its window runs ten more days) and the bid is the owning organisation's,
    # submitted, with the other council's confirmed support. Providers' users never see bids; drafts
    # are seen by their applicant and supporters only; the applicant's officer edits while the window
    # is open; evaluation waits for the window to close and decisions for the moderated evaluations,
    # so every persona is refused there at this stage.
    "growth_bids:round_list": Rule(get=signed_in(200), post=signed_in(405)),
    "growth_bids:round_create": Rule(
        get=signed_in(403, evaluator=200, admin=200), post=signed_in(403, evaluator=200, admin=200)
    ),
    "growth_bids:round_detail": Rule(kwargs=ROUND, get=signed_in(200, **BID_READERS), post=signed_in(405)),
    "growth_bids:round_update": Rule(
        kwargs=ROUND,
        get=signed_in(403, evaluator=200, admin=200, **BID_READERS),
        post=signed_in(403, evaluator=200, admin=200, **BID_READERS),
    ),
    "growth_bids:round_action": Rule(
        kwargs=lambda p: {**ROUND(p), "action": "close"},
        get=signed_in(405),
        post=signed_in(403, evaluator=REDIRECT, admin=REDIRECT, **BID_READERS),
    ),
    "growth_bids:notice_create": Rule(
        kwargs=ROUND,
        get=signed_in(403, officer=200, other_officer=200, **BID_READERS),
        post=signed_in(403, officer=200, other_officer=200, **BID_READERS),
        note="Partners' officers give notice of a bid; the team and the Body do not bid.",
    ),
    "growth_bids:bid_create": Rule(
        kwargs=ROUND,
        get=signed_in(403, officer=200, other_officer=200, **BID_READERS),
        post=signed_in(403, officer=REDIRECT, other_officer=REDIRECT, **BID_READERS),
        note="A draft may be incomplete: an empty form starts one.",
    ),
    "growth_bids:bid_autosave_new": Rule(
        kwargs=ROUND,
        get=signed_in(405),
        post=signed_in(403, officer=200, other_officer=200, **BID_READERS),
        note="The first autosave of a new bid makes the draft (an empty one is a draft too); JSON answers.",
    ),
    "growth_bids:assignments": Rule(
        kwargs=ROUND,
        get=signed_in(403, evaluator=200, admin=200, **BID_READERS),
        post=signed_in(403, evaluator=REDIRECT, admin=REDIRECT, **BID_READERS),
        note="The programme team assigns evaluators and sees progress; an empty post changes nothing.",
    ),
    "growth_bids:body_list": Rule(
        kwargs=ROUND, get=signed_in(404, evaluator=200, body=200, admin=200), post=signed_in(405)
    ),
    "growth_bids:decide_many": Rule(
        kwargs=ROUND,
        get=signed_in(404, evaluator=403, body=200, admin=200),
        post=signed_in(404, evaluator=403, body=200, admin=200),
        note="Only the Body (and the administrator) decides; with the round open every row is refused.",
    ),
    "growth_bids:criteria_edit": Rule(
        kwargs=ROUND,
        get=signed_in(403, evaluator=200, admin=200, **BID_READERS),
        post=signed_in(403, evaluator=200, admin=200, **BID_READERS),
        note="The programme team words the criteria; the round is open, so they are locked and a POST is refused.",
    ),
    "growth_bids:criteria_copy": Rule(
        kwargs=ROUND,
        get=signed_in(405),
        post=signed_in(403, evaluator=200, admin=200, **BID_READERS),
    ),
    "growth_bids:bid_detail": Rule(kwargs=BID, get=signed_in(200, **BID_READERS), post=signed_in(405)),
    "growth_bids:bid_update": Rule(
        kwargs=BID, get=signed_in(404, officer=200), post=signed_in(404, officer=200), data=lambda p, kw: {}
    ),
    "growth_bids:bid_autosave": Rule(
        kwargs=BID,
        get=signed_in(405),
        post=signed_in(404, officer=409),
        note="Autosave is for the applicant's drafts: the matrix's bid is submitted, so even its officer is refused.",
    ),
    "growth_bids:bid_withdraw": Rule(kwargs=BID, get=signed_in(405), post=signed_in(404, officer=REDIRECT)),
    "growth_bids:support_ask": Rule(kwargs=BID, get=signed_in(405), post=signed_in(404, officer=REDIRECT)),
    "growth_bids:attachment_upload": Rule(kwargs=BID, get=signed_in(405), post=signed_in(404, officer=REDIRECT)),
    "growth_bids:bid_export": Rule(kwargs=BID, get=signed_in(200, **BID_READERS), post=signed_in(405)),
    "growth_bids:bid_filed_copy": Rule(kwargs=BID, get=signed_in(200, **BID_READERS), post=signed_in(405)),
    "growth_bids:evaluate": Rule(kwargs=BID, get=signed_in(403, **BID_READERS), post=signed_in(403, **BID_READERS)),
    "growth_bids:moderate": Rule(kwargs=BID, get=signed_in(403, **BID_READERS), post=signed_in(403, **BID_READERS)),
    "growth_bids:decide": Rule(kwargs=BID, get=signed_in(403, **BID_READERS), post=signed_in(403, **BID_READERS)),
    "growth_bids:fall_through": Rule(kwargs=BID, get=signed_in(403, **BID_READERS), post=signed_in(403, **BID_READERS)),
    "growth_bids:support_answer": Rule(
        kwargs=lambda p: {"pk": objects.support_request(p).pk},
        get=signed_in(405),
        post=signed_in(404, officer=REDIRECT, other_officer=REDIRECT),
        unchanged=("officer",),
        note="Only the asked council answers; the applicant is sent back with a message and nothing changes.",
    ),
    "growth_bids:bid_procurement": Rule(
        kwargs=lambda p: {"pk": objects.funded_bid(p).pk},
        get=signed_in(403, evaluator=200, admin=200, **BID_READERS),
        post=signed_in(403, evaluator=REDIRECT, admin=REDIRECT, **BID_READERS),
        data=lambda p, kw: {
            "reference": "MATRIX-1",
            "template": objects.timetable_template(p).pk,
            "contract_start": "2031-04-01",
            "contract_years": "3",
        },
        note="Only the programme team turns the funded bid into a project; its other readers are refused (403).",
    ),
    "growth_bids:attachment_download": Rule(
        kwargs=lambda p: {"pk": objects.attachment(p).pk}, get=signed_in(200, **BID_READERS), post=signed_in(405)
    ),
    # --- partnerships: the shared commissioning register, map, savings model and options ----------
    # Everybody signed in here reads the register (the provider's user only its own arrangements,
    # never money); the programme team imports it; officers record their own organisation's options.
    "partnerships:register": Rule(get=signed_in(200), post=signed_in(405)),
    "partnerships:arrangement": Rule(
        kwargs=lambda p: {"pk": objects.arrangement(p).pk},
        get=signed_in(200, other_officer=404),
        post=signed_in(405),
        note="Another council's officer does not learn that the arrangement exists.",
    ),
    "partnerships:arrangement_edit": Rule(
        kwargs=lambda p: {"pk": objects.arrangement(p).pk},
        get=signed_in(403, evaluator=200, admin=200),
        post=signed_in(403, evaluator=200, admin=200),
        note="Only the register's keepers change an arrangement; an empty form comes back to them.",
    ),
    "partnerships:export": Rule(get=signed_in(200, provider=403), post=signed_in(405, provider=403)),
    "partnerships:template": Rule(get=signed_in(200), post=signed_in(405)),
    "partnerships:import": Rule(
        get=signed_in(403, evaluator=200, admin=200),
        post=signed_in(403, evaluator=200, admin=200),
        note="An empty upload redisplays the form to the register's keepers.",
    ),
    "partnerships:map": Rule(get=signed_in(200), post=signed_in(405)),
    "partnerships:savings": Rule(get=signed_in(200, provider=403), post=signed_in(405, provider=403)),
    "partnerships:preferences": Rule(get=signed_in(200), post=signed_in(405)),
    "partnerships:preference_add": Rule(
        get=signed_in(403, officer=200, other_officer=200, evaluator=200, admin=200),
        post=signed_in(403, officer=REDIRECT, other_officer=200, evaluator=REDIRECT, admin=REDIRECT),
        data=lambda p, kw: PREFERENCE_DATA(p),
        note="Another council's officer cannot choose the owning organisation: the form comes back (200).",
    ),
    "partnerships:preference_edit": Rule(
        kwargs=lambda p: {"pk": objects.preference(p).pk},
        get=signed_in(403, officer=200, evaluator=200, admin=200),
        post=signed_in(403, officer=REDIRECT, evaluator=REDIRECT, admin=REDIRECT),
        data=lambda p, kw: {**PREFERENCE_DATA(p), "version": 1},
    ),
    "partnerships:service_procurement": Rule(
        kwargs=lambda p: {"pk": objects.preference(p).service_area_id},
        get=signed_in(403, evaluator=200, admin=200),
        post=signed_in(403, evaluator=REDIRECT, admin=REDIRECT),
        data=lambda p, kw: {
            "reference": "MATRIX-ADV",
            "title": "Advocacy: aligned budgets",
            "lead_organisation": p.home.pk,
            "template": objects.timetable_template(p).pk,
            "contract_start": "2031-04-01",
            "contract_years": "3",
        },
        note="The owning organisation chose aligned budgets for the service; the register's keepers procure it.",
    ),
    # --- review: measures, returns, meetings and events ------------------------------------------
    # A provider's user has one job here: returns for their own organisation's services (another provider's
    # service is a 404, tested in tests/review); they never see the programme's page of every service's
    # figures. The programme team reads and rates every return. Meetings and events are for everyone signed in.
    "review:index": Rule(get=signed_in(200), post=signed_in(405)),
    "review:programme": Rule(kwargs=PROGRAMME, get=signed_in(200, provider=403), post=signed_in(405, provider=403)),
    "review:measure_add": Rule(
        kwargs=PROGRAMME,
        get=signed_in(403, evaluator=200, admin=200),
        post=signed_in(403, evaluator=200, admin=200),
        note="The programme team sets measures; an empty form comes back with its errors.",
    ),
    "review:target_set": Rule(
        kwargs=lambda p: {"pk": objects.service_measure(p).pk},
        get=signed_in(403, evaluator=200, admin=200),
        post=signed_in(403, evaluator=200, admin=200),
        note="A target without a period comes back with its errors; nothing is saved.",
    ),
    "review:returns": Rule(get=signed_in(403, **RETURN_PEOPLE(200)), post=signed_in(403, **RETURN_PEOPLE(405))),
    "review:return_import": Rule(
        get=signed_in(403, **RETURN_PEOPLE(200)),
        post=signed_in(403, **RETURN_PEOPLE(200)),
        note="An empty upload comes back with its error; nothing is saved.",
    ),
    "review:return_submit": Rule(
        kwargs=lambda p: {"pk": objects.reviewed_service(p).pk},
        get=signed_in(403, **RETURN_PEOPLE(200)),
        post=signed_in(403, **RETURN_PEOPLE(200)),
        note="An empty return (no quarter, no figures) comes back with its errors; nothing is saved.",
    ),
    "review:return_detail": Rule(
        kwargs=lambda p: {"pk": objects.service_return(p).pk},
        get=signed_in(403, **RETURN_PEOPLE(200)),
        post=signed_in(403, evaluator=200, admin=200),
        note="The provider reads their return but does not rate it; an empty rating comes back to the team.",
    ),
    "review:meetings": Rule(get=signed_in(200), post=signed_in(405)),
    "review:meeting": Rule(kwargs=lambda p: {"pk": objects.meeting(p).pk}, get=signed_in(200), post=signed_in(405)),
    "review:events": Rule(get=signed_in(200), post=signed_in(405)),
    # Minutes: numbered items (added, changed, moved) and the decisions taken under them, kept by the programme team.
    "review:minute_add": Rule(
        kwargs=lambda p: {"pk": objects.meeting(p).pk},
        get=signed_in(403, evaluator=200, admin=200),
        post=signed_in(403, evaluator=200, admin=200),
        note="An item without a title comes back with its error; nothing is saved.",
    ),
    "review:minute_edit": Rule(
        kwargs=lambda p: {"pk": objects.minute_item(p).pk},
        get=signed_in(403, evaluator=200, admin=200),
        post=signed_in(403, evaluator=200, admin=200),
        note="An empty form comes back with its errors (and the page out of date); nothing is saved.",
    ),
    "review:minute_move": Rule(
        kwargs=lambda p: {"pk": objects.minute_item(p).pk},
        get=signed_in(403, evaluator=405, admin=405),
        post=signed_in(403, evaluator=REDIRECT, admin=REDIRECT),
        unchanged=("evaluator", "admin"),
        note="No direction (or the only item): back to the meeting with a message, nothing moved.",
    ),
    # Action plans: read by the partnership's people but a provider's user; the programme team adds entries;
    # the programme team and the action's owner (the officer) update one. An empty form comes back with errors.
    "review:actions": Rule(get=signed_in(200, provider=403), post=signed_in(405, provider=403)),
    "review:action_add": Rule(
        get=signed_in(403, evaluator=200, admin=200),
        post=signed_in(403, evaluator=200, admin=200),
        note="An empty action comes back with its errors; nothing is saved.",
    ),
    "review:action_edit": Rule(
        kwargs=lambda p: {"pk": objects.review_action(p).pk},
        get=signed_in(403, officer=200, evaluator=200, admin=200),
        post=signed_in(403, officer=200, evaluator=200, admin=200),
        note="An empty form comes back with its errors (and the page out of date); nothing is saved.",
    ),
    # The contracts register holds money: read by the partnership's people but a provider's user; the programme
    # team enters contracts. An empty form comes back with its errors.
    "review:contracts": Rule(get=signed_in(200, provider=403), post=signed_in(405, provider=403)),
    "review:contract_export": Rule(get=signed_in(200, provider=403), post=signed_in(405, provider=403)),
    "review:contract_edit": Rule(
        kwargs=lambda p: {"pk": objects.review_contract(p).pk},
        get=signed_in(403, evaluator=200, admin=200),
        post=signed_in(403, evaluator=200, admin=200),
        note="An empty form comes back with its errors (and the page out of date); nothing is saved.",
    ),
    "review:contract_add": Rule(
        get=signed_in(403, evaluator=200, admin=200),
        post=signed_in(403, evaluator=200, admin=200),
        note="An empty contract comes back with its errors; nothing is saved.",
    ),
    # --- foundation: notifications (each person's own; being signed in is the whole check) -----------
    "notifications:list": Rule(get=signed_in(200), post=signed_in(405)),
    "notifications:read": Rule(
        kwargs=lambda p: {"pk": objects.notification(p).pk},
        get=signed_in(405),
        post=signed_in(404, officer=REDIRECT),
        note="Another person's notification is not found.",
    ),
    "notifications:open": Rule(
        kwargs=lambda p: {"pk": objects.notification(p).pk},
        get=signed_in(404, officer=REDIRECT),
        post=signed_in(405),
        note="Following a notification marks it read; another person's is not found.",
    ),
    "notifications:read_all": Rule(get=signed_in(405), post=signed_in(REDIRECT)),
    "notifications:preferences": Rule(
        get=signed_in(200),
        post=signed_in(200),
        note="An empty form comes back with its errors.",
    ),
    # --- foundation: import jobs (the person who sent the file follows it; nobody else learns it exists) ---
    "imports:job": Rule(
        kwargs=lambda p: {"pk": objects.import_job(p).pk},
        get=signed_in(404, evaluator=200),
        post=signed_in(405),
        note="Another person's import, the administrator's included, is not found.",
    ),
    # --- commissioning: board reports ------------------------------------------------------------
    # The programme team writes and renders; readers (the Body, the programme's core group members) read;
    # the provider's user never gets the internal edition, which carries money.
    "reports:list": Rule(
        get=signed_in(200, officer=403, other_officer=403), post=signed_in(405, officer=403, other_officer=403)
    ),
    "reports:create": Rule(
        get=signed_in(403, evaluator=200, admin=200),
        post=signed_in(403, evaluator=200, admin=200),
        note="An empty form comes back to the programme team with its errors.",
    ),
    "reports:detail": Rule(kwargs=REPORT, get=signed_in(200, **REPORT_OUTSIDERS), post=signed_in(405)),
    "reports:status": Rule(kwargs=REPORT, get=signed_in(200, **REPORT_OUTSIDERS), post=signed_in(405)),
    "reports:edit": Rule(
        kwargs=REPORT,
        get=signed_in(403, evaluator=200, admin=200, **REPORT_OUTSIDERS),
        post=signed_in(403, evaluator=200, admin=200, **REPORT_OUTSIDERS),
        note="An empty form comes back to the programme team with its errors.",
    ),
    "reports:render": Rule(
        kwargs=REPORT,
        get=signed_in(405),
        post=signed_in(403, evaluator=REDIRECT, admin=REDIRECT, **REPORT_OUTSIDERS),
        data=lambda p, kw: {"edition": "internal"},
    ),
    "reports:retry": Rule(
        kwargs=lambda p: {"pk": objects.failed_rendering(p).pk},
        get=signed_in(405),
        post=signed_in(403, evaluator=REDIRECT, admin=REDIRECT, provider=404, **REPORT_OUTSIDERS),
        note="The internal edition does not exist for the provider's user.",
    ),
    "reports:download": Rule(
        kwargs=lambda p: {"pk": objects.rendering(p).pk},
        get=signed_in(200, provider=404, **REPORT_OUTSIDERS),
        post=signed_in(405),
        note="The internal edition carries money: the provider's user never downloads it.",
    ),
}
