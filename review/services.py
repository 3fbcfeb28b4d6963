"""Every write of review: atomic, validated before saving, keyword-only arguments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core_groups.models import Commission, Programme
from foundation import editing

from . import permissions, rules
from .exceptions import NotAllowed
from .models import (
    Action,
    Attendance,
    Contract,
    ContractAlert,
    DecisionMinute,
    Event,
    Measure,
    Meeting,
    MinuteItem,
    Return,
    ReturnValue,
    Target,
)


@transaction.atomic
def measure_create(*, programme: Programme, title: str, commission: Commission | None = None, **fields: Any) -> Measure:
    measure = Measure(programme=programme, commission=commission, title=title, **fields)
    measure.full_clean()
    measure.save()
    return measure


@transaction.atomic
def target_set(*, measure: Measure, period_start: date, period_end: date, value: Decimal, label: str = "") -> Target:
    """Set (or change) the measure's target for a period; a target always has its period."""
    if period_start is None or period_end is None:
        raise ValidationError({"period_start": "A target needs the period it is for."})
    target = Target.objects.filter(measure=measure, period_start=period_start).first() or Target(
        measure=measure, period_start=period_start
    )
    target.period_end = period_end
    target.period_label = label or rules.period_label(period_start, period_end)
    target.value = value
    target.full_clean()
    target.save()
    return target


def _as_decimal(raw: Any) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, float):
        raise TypeError("Figures are Decimal, never float.")
    try:
        return Decimal(str(raw).strip().replace(",", "").rstrip("%"))
    except InvalidOperation:
        return Decimal("NaN")


@transaction.atomic
def return_submit(
    *,
    user: Any,
    commission: Commission,
    period_start: date,
    period_end: date,
    values: dict[int, Any],
    notes: str = "",
    submit: bool = True,
    expected_version: int | None = None,
) -> Return:
    """Save a return's figures for one period of a service (as a draft, or submitted for review).

    ``values`` maps each measure's id to its figure. Every figure is checked before anything is saved: a
    service not the user's, a period outside the service's life, a percentage over 100 or a figure that is
    not a number refuses the whole return, with an error per field (``value_<measure id>``).
    """
    if not permissions.can_submit_return(user, commission):
        raise NotAllowed("You may only make returns for your own organisation's services.")
    errors: dict[str, list[str]] = {}
    problem = rules.period_problem(period_start, period_end, commission.indicative_start, commission.indicative_end)
    if problem:
        errors["period"] = [problem]
    measures = {m.pk: m for m in Measure.objects.filter(commission=commission)}
    foreign = sorted(set(values) - set(measures))
    if foreign:
        errors["__all__"] = ["Some figures are for measures that are not this service's; nothing was saved."]
    figures: dict[int, Decimal] = {}
    for pk, measure in measures.items():
        value = _as_decimal(values.get(pk))
        if value is None:
            if submit:
                errors[f"value_{pk}"] = [f"Give a figure for “{measure.title}”."]
            continue
        if value.is_nan():
            errors[f"value_{pk}"] = [f"“{values.get(pk)}” is not a number."]
            continue
        problem = rules.value_problem(measure.unit, value)
        if problem:
            errors[f"value_{pk}"] = [problem]
            continue
        figures[pk] = value
    if errors:
        raise ValidationError(errors)

    existing = Return.objects.select_for_update().filter(commission=commission, period_start=period_start).first()
    if existing is not None:
        if existing.status == Return.Status.REVIEWED and not permissions.is_review_keeper(user):
            raise NotAllowed("This return has been reviewed; ask the programme team to reopen it.")
        if expected_version is not None:
            editing.check_version(
                existing,
                expected_version,
                noun="return",
                message="Someone else changed this return while you were editing it; open it again.",
            )
        ret = existing
    else:
        ret = Return(commission=commission, period_start=period_start)
    ret.period_end = period_end
    ret.due_on = ret.due_on or rules.due_date(period_end)
    ret.notes = notes
    if submit:
        ret.status = Return.Status.SUBMITTED
        ret.submitted_by = user
        ret.submitted_at = timezone.now()
        # A changed return is reviewed again.
        ret.rag, ret.review_comment, ret.reviewed_by, ret.reviewed_at = "", "", None, None
    if existing is not None:
        editing.save_version(ret)
    else:
        ret.full_clean()
        ret.save()
    current = {v.measure_id: v for v in ret.values.all()}
    for pk, value in figures.items():
        row = current.get(pk) or ReturnValue(return_record=ret, measure=measures[pk])
        row.value = value
        row.save()
    return ret


@transaction.atomic
def return_review(
    *, user: Any, return_record: Return, rag: str, comment: str, expected_version: int | None = None
) -> Return:
    """The programme team's RAG rating and comment on a submitted return."""
    if not permissions.can_review_return(user, return_record):
        raise NotAllowed("Only the programme team reviews returns.")
    ret = Return.objects.select_for_update().get(pk=return_record.pk)
    if expected_version is not None:
        editing.check_version(
            ret,
            expected_version,
            noun="return",
            message="The provider changed this return while you were reviewing it; read it again.",
        )
    if ret.status == Return.Status.DRAFT:
        raise ValidationError({"rag": "This return is still a draft: the provider has not submitted it."})
    if rag not in {Return.Rag.RED, Return.Rag.AMBER, Return.Rag.GREEN}:
        raise ValidationError({"rag": "Choose red, amber or green."})
    if rag != Return.Rag.GREEN and not (comment or "").strip():
        raise ValidationError({"comment": "Say why the return is rated red or amber."})
    ret.rag = rag
    ret.review_comment = comment
    ret.status = Return.Status.REVIEWED
    ret.reviewed_by = user
    ret.reviewed_at = timezone.now()
    return editing.save_version(ret)


@transaction.atomic
def meeting_record(
    *,
    programme: Programme,
    body: str,
    held_on: date,
    attendance: dict[Any, str],
    body_name: str = "",
    minutes: str = "",
    papers_url: str = "",
) -> Meeting:
    """Record a meeting and, for each invited member, whether they attended (idempotent per body and day)."""
    meeting = Meeting.objects.filter(programme=programme, body=body, held_on=held_on).first() or Meeting(
        programme=programme, body=body, held_on=held_on
    )
    meeting.body_name, meeting.minutes, meeting.papers_url = body_name, minutes, papers_url
    meeting.full_clean()
    meeting.save()
    for user, status in attendance.items():
        Attendance.objects.update_or_create(meeting=meeting, user=user, defaults={"status": status})
    return meeting


MINUTE_FIELDS = ("title", "text")


def _link_decisions(item: MinuteItem, decisions: Any) -> None:
    """Make ``decisions`` exactly the decisions taken under ``item``: each must be on one of the meeting's
    programme's commissions and not already recorded at another minute (refused beside the field otherwise)."""
    from . import selectors

    wanted = {d.pk: d for d in (decisions or ())}
    allowed = set(
        selectors.decisions_for_meeting(item.meeting).filter(pk__in=list(wanted)).values_list("pk", flat=True)
    )
    if set(wanted) - allowed:
        raise ValidationError({"decisions": "Some of those decisions are not about this programme's services."})
    elsewhere = (
        DecisionMinute.objects.filter(decision_id__in=list(wanted))
        .exclude(minute_item=item)
        .select_related("minute_item__meeting")
        .first()
    )
    if elsewhere is not None:
        where = elsewhere.minute_item
        raise ValidationError(
            {"decisions": f"{wanted[elsewhere.decision_id]} is already recorded at {where.meeting}, {where.label}."}
        )
    for link in item.decision_links.exclude(decision_id__in=list(wanted)):
        link.delete()  # one by one, so each unlinking is in the history
    have = set(item.decision_links.values_list("decision_id", flat=True))
    for pk in wanted:
        if pk not in have:
            DecisionMinute.objects.create(decision_id=pk, minute_item=item)


@transaction.atomic
def minute_item_add(*, user: Any, meeting: Meeting, title: str, text: str = "", decisions: Any = ()) -> MinuteItem:
    """Add the next numbered item to a meeting's minutes (numbered under a lock on the meeting: two people adding
    at once get 3 and 4, never two 3s)."""
    if not permissions.can_record_meetings(user, meeting):
        raise NotAllowed("The programme team keeps the minutes.")
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    last = locked.minute_items.order_by("-number").values_list("number", flat=True).first() or 0
    item = MinuteItem(meeting=locked, number=last + 1, title=title, text=text)
    item.full_clean(validate_constraints=False)
    item.save()
    _link_decisions(item, decisions)
    return item


@transaction.atomic
def minute_item_update(
    *, user: Any, item: MinuteItem, expected_version: Any, decisions: Any = (), **fields: Any
) -> MinuteItem:
    """Change a minute item's title and text and the decisions taken under it; the page states the version it
    was opened at (foundation.editing), so nobody's change is lost."""
    if not permissions.can_record_meetings(user, item.meeting):
        raise NotAllowed("The programme team keeps the minutes.")
    locked = MinuteItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    editing.check_version(locked, expected_version, noun="minute")
    editing.apply_fields(locked, fields, fields=MINUTE_FIELDS)
    locked.version += 1
    locked.full_clean(validate_constraints=False)
    locked.save()
    _link_decisions(locked, decisions)
    return locked


@transaction.atomic
def minute_item_move(*, user: Any, item: MinuteItem, direction: str) -> MinuteItem:
    """Move a minute item up or down one place: it swaps numbers with its neighbour (the meeting's items are
    locked, and the numbers' uniqueness is checked at commit). Refused beside nothing when there is no
    neighbour that way."""
    if direction not in ("up", "down"):
        raise ValidationError("Say whether the item moves up or down.")
    if not permissions.can_record_meetings(user, item.meeting):
        raise NotAllowed("The programme team keeps the minutes.")
    items = list(MinuteItem.objects.select_for_update().filter(meeting_id=item.meeting_id).order_by("number"))
    index = next((i for i, it in enumerate(items) if it.pk == item.pk), None)
    if index is None:
        raise ValidationError("That minute item no longer exists.")
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        raise ValidationError(f"{items[index].label} is already the {'first' if direction == 'up' else 'last'}.")
    moving, neighbour = items[index], items[other]
    moving.number, neighbour.number = neighbour.number, moving.number
    for it in (moving, neighbour):
        it.version += 1
        it.save(update_fields=["number", "version"])
    return moving


@transaction.atomic
def event_record(*, programme: Programme, title: str, held_on: date, **fields: Any) -> Event:
    event = Event.objects.filter(programme=programme, title=title, held_on=held_on).first() or Event(
        programme=programme, title=title, held_on=held_on
    )
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    event.save()
    return event


REMIND_DAYS_BEFORE = 7
# An overdue return is reminded once, within this many days of its due date; an older backlog is listed on the
# returns page rather than emailed (a service added late would otherwise send years of reminders at once).
OVERDUE_WINDOW_DAYS = 30


def return_reminders_sweep(*, today: date | None = None) -> int:
    """Queue an email (through the outbox) to each user of a provider whose return is due within a week, or
    overdue, and not submitted. The outbox sends each (service, quarter, kind, person) once, however often
    the sweep runs. Returns the number of emails newly queued.
    """
    from core_groups.models import User
    from foundation import outbox

    from .selectors import overdue_returns, services_for_reminders

    today = today or timezone.localdate()
    services = services_for_reminders()
    horizon = today + _days(REMIND_DAYS_BEFORE + 1)
    due = [o for o in overdue_returns(services, today=horizon) if o.due_on >= today - _days(OVERDUE_WINDOW_DAYS)]
    provider_ids = {o.commission.provider_id for o in due}
    people: dict[int, list[Any]] = {}
    for person in User.objects.filter(organisation_id__in=provider_ids, is_active=True).exclude(email=""):
        people.setdefault(person.organisation_id, []).append(person)
    messages = []
    for item in due:
        kind = "overdue" if item.due_on < today else "due"
        context = {
            "kind": kind,
            "service": item.commission,
            "period_label": item.period_label,
            "due_on": item.due_on,
        }
        for person in people.get(item.commission.provider_id, []):
            messages.append(
                outbox.email_message(
                    key=f"review.return_{kind}:{item.commission.pk}:{item.period_start.isoformat()}",
                    to=person.email,
                    template="review/email/return_reminder",
                    context=context,
                )
            )
    with transaction.atomic():
        return len(outbox.enqueue_many(messages))


def _days(n: int) -> Any:
    from datetime import timedelta

    return timedelta(days=n)


@transaction.atomic
def returns_import(*, user: Any, name: str, data: bytes, progress: Any = None) -> int:
    """Import returns from a file, one row per figure: every return is saved, or (with any problem) none is.

    Returns the number of returns saved (each submitted). Raises returns_io.ImportRefused with every problem
    by line and column: a service not the user's, an unknown quarter or measure, a figure that is not a number,
    a percentage over 100, a quarter outside the service's life, a measure missing from a return.
    ``progress(done, total)``, when given, is told how many returns are saved (a background job's page shows it).
    """
    from . import returns_io
    from .selectors import services_for

    records, problems = returns_io.read(name, data)
    if problems:
        raise returns_io.ImportRefused(problems)
    services = list(services_for(user).prefetch_related("measures"))
    by_key: dict[str, Commission] = {}
    for service in services:
        by_key.setdefault(str(service.pk), service)
        by_key.setdefault(service.title.strip().lower(), service)
    groups: dict[tuple[int, date], dict[str, Any]] = {}
    seen: set[tuple[int, date, int]] = set()
    for record in records:
        line = record["line"]
        raw_service = str(record["service"] or "").strip()
        service = by_key.get(raw_service.lower())
        if service is None:
            problems.append(
                returns_io.Problem(line, "Service", f"“{raw_service}” is not one of the services you make returns for.")
            )
            continue
        start = returns_io.parse_quarter(record["quarter"])
        if start is None:
            problems.append(
                returns_io.Problem(line, "Quarter", f"“{record['quarter']}” is not a quarter: write e.g. 2011-12 Q1.")
            )
            continue
        end = rules.quarter_end(start)
        problem = rules.period_problem(start, end, service.indicative_start, service.indicative_end)
        if problem:
            problems.append(returns_io.Problem(line, "Quarter", problem))
            continue
        measures = {m.title.strip().lower(): m for m in service.measures.all()}
        measure = measures.get(str(record["measure"] or "").strip().lower())
        if measure is None:
            problems.append(
                returns_io.Problem(line, "Measure", f"“{record['measure']}” is not a measure of {service.title}.")
            )
            continue
        value = returns_io.to_decimal(record["value"])
        if value is None or value.is_nan():
            problems.append(returns_io.Problem(line, "Value", f"“{record['value'] or ''}” is not a number."))
            continue
        problem = rules.value_problem(measure.unit, value)
        if problem:
            problems.append(returns_io.Problem(line, "Value", problem))
            continue
        if (service.pk, start, measure.pk) in seen:
            problems.append(returns_io.Problem(line, "Measure", "This figure is given twice for the quarter."))
            continue
        seen.add((service.pk, start, measure.pk))
        group = groups.setdefault((service.pk, start), {"service": service, "line": line, "values": {}})
        group["values"][measure.pk] = value
    if problems:
        raise returns_io.ImportRefused(problems)
    saved = 0
    if progress is not None:
        progress(0, len(groups), force=True)
    touched: list[Commission] = []
    for (_pk, start), group in groups.items():
        if progress is not None:
            progress(saved, len(groups))
        try:
            return_submit(
                user=user,
                commission=group["service"],
                period_start=start,
                period_end=rules.quarter_end(start),
                values=group["values"],
            )
            saved += 1
            touched.append(group["service"])
        except NotAllowed as exc:
            problems.append(returns_io.Problem(group["line"], "Quarter", str(exc)))
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                problems.extend(returns_io.Problem(group["line"], "Measure", m) for m in messages)
    if problems:
        raise returns_io.ImportRefused(problems)
    from .notifications import tell_returns_imported

    tell_returns_imported(user=user, name=name, count=saved, services=touched)
    return saved


ACTION_FIELDS = (
    "kind",
    "title",
    "owner",
    "organisation",
    "due_on",
    "status",
    "progress",
    "measure",
    "risk",
    "reported_to",
)


@transaction.atomic
def action_create(*, user: Any, programme: Programme, **fields: Any) -> Action:
    """Add an action (or an obstacle, reported to a named board) to the programme's action plan."""
    if not permissions.can_add_action(user, programme):
        raise NotAllowed("The programme team keeps the action plan.")
    action = Action(programme=programme)
    editing.apply_fields(action, fields, fields=ACTION_FIELDS)
    if action.kind != Action.Kind.OBSTACLE:
        action.reported_to = ""
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_update(*, user: Any, action: Action, expected_version: Any, **fields: Any) -> Action:
    """Change an action; the page states the version it was opened at, so nobody's change is lost. Every
    change of the progress notes is kept in the action's history."""
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if not permissions.can_edit_action(user, locked):
        raise NotAllowed("The programme team and the action's owner update an action.")
    editing.check_version(locked, expected_version, noun="action")
    if fields.get("kind", locked.kind) != Action.Kind.OBSTACLE:
        fields["reported_to"] = ""
    return editing.save_version(locked, fields, fields=ACTION_FIELDS)


CONTRACT_FIELDS = (
    "procurement_project",
    "reference",
    "title",
    "supplier",
    "value",
    "start_on",
    "end_on",
    "extension_options",
    "kpis",
    "manager",
)


@transaction.atomic
def contract_create(*, user: Any, programme: Programme, measures: Any = (), **fields: Any) -> Contract:
    """Enter a contract in the register: refused (nothing saved) when it ends before it starts, or is worth
    more than £5m with fewer than three KPIs."""
    if not permissions.can_add_contract(user, programme):
        raise NotAllowed("The programme team keeps the contracts register.")
    contract = Contract(programme=programme)
    editing.apply_fields(contract, fields, fields=CONTRACT_FIELDS)
    contract.full_clean()
    measures = list(measures or ())
    foreign = [m for m in measures if m.programme_id != programme.pk]
    if foreign:
        raise ValidationError({"measures": "Some measures belong to another programme."})
    contract.save()
    contract.measures.set(measures)
    return contract


@transaction.atomic
def contract_update(
    *, user: Any, contract: Contract, expected_version: Any, measures: Any = (), **fields: Any
) -> Contract:
    """Change a contract of the register; the page states the version it was opened at (foundation.editing), so
    nobody's change is lost. A new end date (an extension taken) starts its expiry alerts afresh: the sweep then
    sends the nearest one for the new date, never the ones already past."""
    if not permissions.can_edit_contract(user, contract):
        raise NotAllowed("The programme team keeps the contracts register.")
    locked = Contract.objects.select_for_update().select_related("programme").get(pk=contract.pk)
    editing.check_version(locked, expected_version, noun="contract")
    old_end = locked.end_on
    measures = list(measures or ())
    if any(m.programme_id != locked.programme_id for m in measures):
        raise ValidationError({"measures": "Some measures belong to another programme."})
    saved = editing.save_version(locked, fields, fields=CONTRACT_FIELDS)
    saved.measures.set(measures)
    if saved.end_on != old_end:
        saved.alerts.all().delete()
    return saved


def contract_recipients(contract: Contract) -> list[Any]:
    """Who is told of a contract's expiry: its manager and the programme team of its partnership."""
    from core_groups import roles, tenancy

    people = {u.pk: u for u in [contract.manager] if u is not None and u.is_active}
    partnership_id = contract.programme.partnership_id
    if partnership_id:
        people.update({u.pk: u for u in tenancy.role_holders(partnership_id, roles.PROGRAMME_TEAM)})
    return list(people.values())


def contract_expiry_sweep(*, today: date | None = None) -> int:
    """Send each live contract's expiry alert due today (9, 6 or 3 months before its end), each once.

    A ContractAlert row records each alert sent, so running the sweep any number of times sends nothing twice;
    a contract entered late gets only the nearest alert, never the ones already past. Returns the number sent.
    """
    from django.urls import reverse

    from foundation import notifications

    from .notifications import CONTRACT_EXPIRY

    today = today or timezone.localdate()
    sent = 0
    horizon = today + _days(31 * max(rules.EXPIRY_ALERT_MONTHS) + 1)
    contracts = (
        Contract.objects.filter(end_on__gte=today, end_on__lte=horizon)
        .select_related("programme", "supplier", "manager")
        .prefetch_related("alerts")
    )
    for contract in contracts:
        months = rules.expiry_alert_due(contract.end_on, today)
        if months is None or any(alert.months <= months for alert in contract.alerts.all()):
            continue
        with transaction.atomic():
            _alert, created = ContractAlert.objects.get_or_create(
                contract=contract, months=months, defaults={"sent_on": today}
            )
            if not created:
                continue
            notifications.notify(
                CONTRACT_EXPIRY,
                contract,
                contract_recipients(contract),
                {"contract": contract, "months": months},
                reverse("review:contracts"),
                reason="you manage this contract or are in its programme team",
                key=f"review.contract:{contract.pk}:expiry-{months}",
            )
            sent += 1
    return sent
