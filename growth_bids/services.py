"""Every write of the growth-bid process. Keyword-only, atomic, full_clean before save.

Errors a person can act on are raised as ValidationError subclasses (exceptions.py), with a field
name where the error belongs to a field, so that forms can show them beside it.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from core_groups import services as core_services
from core_groups.conflicts import conflict_reason
from core_groups.models import Decision as BoundDecision
from core_groups.money import format_money, to_money
from foundation import editing, uploads
from procurement.models import Approach, ProcurementProject
from procurement.services import project_create

from . import notifications, permissions
from .defaults import KENT_CRITERIA, KENT_STATEMENT_WORDS
from .exceptions import BidError, Conflict, DecisionsRefused, Overspend, WindowClosed
from .models import (
    TIMETABLE_STEPS,
    Attachment,
    Bid,
    BidRevision,
    BidStatement,
    Criterion,
    Decision,
    Evaluation,
    EvaluationDraft,
    EvaluationMark,
    EvaluatorAssignment,
    FundingRound,
    NoticeOfIntent,
    SupportRequest,
    WindowMove,
    end_of_day,
    propose_timetable,
)

BID_FIELDS = [
    "title",
    "contact_names",
    "contact_email",
    "contact_phone",
    "summary",
    "client_group",
    "service_users",
    "hours_per_week",
    "annual_amount",
    "start_date",
]
REQUIRED_FOR_SUBMISSION = BID_FIELDS + ["districts", "outcomes"]

# Appendix A's parts, in the order of the form: each section's fields (statements are added per criterion).
BID_SECTIONS = [
    ("organisation", "The organisation and contacts", ["title", "contact_names", "contact_email", "contact_phone"]),
    ("service", "The service", ["summary", "client_group", "districts", "hours_per_week", "start_date"]),
    ("money", "Money and service users", ["service_users", "annual_amount"]),
    ("outcomes", "Outcomes", ["outcomes"]),
    ("statements", "A statement per criterion", []),
]


def count_words(text):
    """Words as people count them: runs of characters between spaces."""
    return len((text or "").split())


def over_word_limit(criterion, text):
    """The message for a statement longer than its criterion allows, or None."""
    words = count_words(text)
    if criterion.word_limit and words > criterion.word_limit:
        return (
            f"The statement for criterion {criterion.code} has {words} words: the limit is {criterion.word_limit}. "
            "Shorten it (what you wrote is kept)."
        )
    return None


def section_progress(bid, funding_round, missing=None):
    """Appendix A's sections, each a dict: ``key``, ``title``, its ``fields`` and the ones still ``missing``.

    ``missing`` (field -> message) defaults to what a submission of ``bid`` still needs; for a bid not yet
    started every field is missing."""
    criteria = list(funding_round.criteria.all())
    statement_fields = [f"statement_{c.code}" for c in criteria]
    if missing is None:
        missing = missing_for_submission(bid) if bid is not None and bid.pk else None
    sections = []
    for key, title, fields in BID_SECTIONS:
        fields = statement_fields if key == "statements" else fields
        gaps = list(fields) if missing is None else [f for f in fields if f in missing]
        sections.append({"key": key, "title": title, "fields": fields, "missing": gaps})
    return sections


def _refuse(message, field=None):
    raise BidError({field: message} if field else message)


# ---------------------------------------------------------------- rounds


@transaction.atomic
def round_create(*, programme, financial_year, growth_money, holdback_pct, opens_on, by=None, title="", **dates):
    """A draft round with the timetable proposed from the opening date and Kent's criteria a-g copied in."""
    proposed = propose_timetable(opens_on)
    proposed.update({k: v for k, v in dates.items() if k in proposed and v})
    closes_at = dates.get("closes_at") or end_of_day(proposed["submissions_by"])
    funding_round = FundingRound(
        programme=programme,
        financial_year=financial_year,
        title=title,
        growth_money=to_money(growth_money),
        holdback_pct=Decimal(holdback_pct),
        opens_on=opens_on,
        closes_at=closes_at,
        **proposed,
    )
    funding_round.full_clean()
    funding_round.save()
    for order, (code, question, guidance, rule) in enumerate(KENT_CRITERIA):
        Criterion.objects.create(
            funding_round=funding_round,
            code=code,
            question=question,
            guidance=guidance,
            system_rule=rule,
            order=order,
            word_limit=KENT_STATEMENT_WORDS,
        )
    return funding_round


def _locked_round(funding_round):
    return FundingRound.objects.select_for_update().get(pk=funding_round.pk)


@transaction.atomic
def round_update(*, funding_round, version, by=None, reason="", **fields):
    """Change a round. Once it is open, its close may only move later, never earlier nor into the past, with a
    reason that is recorded (in the round's history) and sent to every partner with a draft, a notice of
    intent or a support request in the round; the Appendix B dates from submissions on follow."""
    current = _locked_round(funding_round)
    editing.check_version(current, version, noun="round")
    if current.status == FundingRound.Status.DECIDED:
        _refuse("A decided round cannot be changed.")
    moved = _check_window_move(current, fields.get("closes_at"), reason)
    if moved:
        fields = _timetable_follows(current, fields, moved[1])
    money_fields = {"growth_money", "holdback_pct", "financial_year", "programme"}
    if current.status != FundingRound.Status.DRAFT:
        # Bound to the opening decision: refused, naming the opening and who made it.
        _refuse_opened_round_change(current, fields)
    allowed = money_fields | {"title", "opens_on", "closes_at"} | {name for name, _d, _l in TIMETABLE_STEPS}
    if moved:
        current._change_reason = f"Close moved later: {reason.strip()}"[:100]
    # Other keys are ignored, as they always were: the round's form may carry fields this service does not set.
    editing.save_version(current, {k: v for k, v in fields.items() if k in allowed}, fields=allowed)
    if moved:
        move = WindowMove.objects.create(
            funding_round=current, moved_from=moved[0], moved_to=moved[1], reason=reason.strip(), moved_by=by
        )
        notifications.tell_close_moved(move)
    return current


def _when(moment):
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y at %H:%M}"


def _check_window_move(current, new_close, reason):
    """(old, new) when an open round's close moves, after the rules; None when it does not move."""
    if new_close is None or new_close == current.closes_at or current.status == FundingRound.Status.DRAFT:
        return None
    old = current.closes_at
    if current.status != FundingRound.Status.OPEN:
        _refuse(f"The submission window closed on {_when(old)}; it cannot be moved now.", "closes_at")
    if new_close < old:
        _refuse(
            f"Once the round is open its close may only move later: it closes on {_when(old)}, and moving it "
            "earlier would cut short the partners who are still writing.",
            "closes_at",
        )
    if new_close <= timezone.now():
        _refuse("The close cannot be moved into the past.", "closes_at")
    if not (reason or "").strip():
        _refuse(
            "Give the reason for moving the close: it is recorded and sent to every partner in the round.", "reason"
        )
    return old, new_close


def _timetable_follows(current, fields, new_close):
    """Submissions fall on the new closing day; a later Appendix B step moves only as far as needed to keep
    the steps in order (a step the editor changed in the same form is kept as given)."""
    fields = dict(fields)
    names = [name for name, _days, _label in TIMETABLE_STEPS]
    floor = timezone.localtime(new_close).date()
    following = False
    for name in names:
        if name == "submissions_by":
            following = True
            if fields.get("submissions_by", current.submissions_by) < floor:
                fields["submissions_by"] = floor
            floor = fields["submissions_by"] if "submissions_by" in fields else current.submissions_by
            continue
        if not following:
            continue
        value = fields.get(name, getattr(current, name))
        if value is not None and value < floor:
            fields[name] = floor
        floor = max(floor, fields.get(name, getattr(current, name)) or floor)
    return fields


@transaction.atomic
def criterion_update(*, criterion, by=None, **fields):
    current = Criterion.objects.select_related("funding_round").get(pk=criterion.pk)
    FundingRound.objects.select_for_update().get(pk=current.funding_round_id)
    if current.funding_round.criteria_locked:
        _refuse("Criteria are locked once the round has opened.")
    for key in ("question", "guidance", "weight", "mandatory", "system_rule", "order"):
        if key in fields:
            setattr(current, key, fields[key])
    current.full_clean()
    current.save()
    return current


CRITERIA_LOCKED = (
    "The criteria are locked: the round has opened, and bids are written and evaluated against these criteria. "
    "They can be changed only while the round is a draft."
)
CRITERION_FIELDS = ("code", "question", "guidance", "weight", "mandatory", "order", "word_limit")


def _criteria_round(funding_round):
    current = _locked_round(funding_round)
    if current.criteria_locked:
        raise BidError(CRITERIA_LOCKED)
    return current


@transaction.atomic
def criteria_save(*, funding_round, by=None, rows):
    """The programme team's edit of a draft round's criteria: change, add and remove, all or nothing.

    ``rows`` are dicts: ``criterion`` (None for a new one), ``delete`` and the CRITERION_FIELDS. Every change is
    kept in the criteria's history (who and when, from the request)."""
    current = _criteria_round(funding_round)
    kept = [r for r in rows if not r.get("delete")]
    if not kept:
        _refuse("A round needs at least one criterion.")
    codes = [(r.get("code") or "").strip() for r in kept]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        _refuse(f"Each criterion needs its own code: {', '.join(repeated)} is used more than once.")
    for row in rows:
        criterion = row.get("criterion")
        if row.get("delete") and criterion is not None:
            if criterion.statements.exists() or criterion.marks.exists():
                _refuse(f"Criterion {criterion.code} has statements or marks, so it cannot be removed.")
            criterion.delete()
    saved = []
    next_order = max([r.get("order") or 0 for r in kept] + [0]) + 1
    for row in kept:
        if "order" in row and row["order"] is None:
            row = {**row, "order": next_order}
            next_order += 1
        criterion = row.get("criterion") or Criterion(funding_round=current)
        if criterion.funding_round_id != current.pk:
            _refuse("That criterion is not in this round.")
        for key in CRITERION_FIELDS:
            if key in row:
                setattr(criterion, key, row[key].strip() if isinstance(row[key], str) else row[key])
        criterion.full_clean(exclude=["funding_round"], validate_constraints=False)
        saved.append(criterion)
    try:
        with transaction.atomic():
            for criterion in saved:
                criterion.save()
    except IntegrityError as exc:
        raise BidError("Two criteria cannot swap codes in one save: give one a new code first.") from exc
    return saved


def last_round_before(funding_round):
    """The partnership's latest other round, whose criteria a new round starts from."""
    return (
        FundingRound.objects.filter(programme__partnership_id=funding_round.programme.partnership_id)
        .exclude(pk=funding_round.pk)
        .order_by("-financial_year", "-opens_on", "-pk")
        .first()
    )


@transaction.atomic
def criteria_copy(*, funding_round, source, by=None):
    """Replace a draft round's criteria with a copy of another round's (of the same partnership), or of the Kent
    set when ``source`` is None."""
    current = _criteria_round(funding_round)
    if source is None:
        copied = [
            {
                "code": code,
                "question": question,
                "guidance": guidance,
                "system_rule": rule,
                "order": order,
                "word_limit": KENT_STATEMENT_WORDS,
            }
            for order, (code, question, guidance, rule) in enumerate(KENT_CRITERIA)
        ]
    else:
        if source.pk == current.pk:
            _refuse("Choose another round to copy the criteria from.", "source")
        if source.programme.partnership_id != current.programme.partnership_id:
            _refuse("Criteria are copied only from a round of the same partnership.", "source")
        copied = [{key: getattr(c, key) for key in (*CRITERION_FIELDS, "system_rule")} for c in source.criteria.all()]
        if not copied:
            _refuse(f"{source} has no criteria to copy.", "source")
    for criterion in current.criteria.all():
        if criterion.statements.exists() or criterion.marks.exists():
            _refuse(f"Criterion {criterion.code} has statements or marks, so the criteria cannot be replaced.")
        criterion.delete()
    return [Criterion.objects.create(funding_round=current, **fields) for fields in copied]


@transaction.atomic
def round_open(*, funding_round, by=None, now=None):
    current = _locked_round(funding_round)
    now = now or timezone.now()
    current.advance_to(FundingRound.Status.OPEN)
    if current.available <= 0:
        _refuse("No money, no round: the money available for bids must be more than £0.", "growth_money")
    if not current.criteria.exists():
        _refuse("The round needs its criteria before it opens.")
    if current.closes_at <= now:
        _refuse("The submission window must close in the future.", "closes_at")
    opened_version = current.version
    editing.save_version(current, clean=False)
    # The opening is bound to the money, the year and the criteria it opened with (core_groups.Decision).
    core_services.record_decision(
        subject=current,
        kind=BoundDecision.Kind.ROUND_OPENING,
        outcome=BoundDecision.Outcome.OPENED,
        decided_by=by,
        decided_on=timezone.localdate(now),
        subject_version=opened_version,
        values=round_opening_values(current),
        deciding_body="Programme team",
    )
    notifications.tell_round_opened(current)
    return current


ROUND_OPENING_FIELDS = ("programme", "financial_year", "growth_money", "holdback_pct")


def round_opening_values(funding_round, **changes):
    """What a round was opened with, as plain values: its money, year and criteria (``changes`` applied over it)."""
    from core_groups.decisions import decided_values

    values = decided_values(funding_round, ROUND_OPENING_FIELDS)
    values.update({k: getattr(v, "pk", v) for k, v in changes.items() if k in ROUND_OPENING_FIELDS})
    values["criteria"] = [
        [c.code, c.question, c.weight, c.mandatory, c.system_rule]
        for c in funding_round.criteria.order_by("order", "code")
    ]
    return values


def _refuse_opened_round_change(current, fields):
    """A change to what the round was opened with is refused, naming the opening and who made it."""
    from core_groups.decisions import changed_fields

    decision = core_services.decision_in_force(current, BoundDecision.Kind.ROUND_OPENING)
    proposed = round_opening_values(current, **fields)
    opened = decision.decided_values if decision is not None else round_opening_values(current)
    changed = changed_fields(opened, proposed)
    if not changed:
        return
    if decision is None:  # a round opened before openings were recorded
        _refuse("The money and the year are fixed once the round has opened.")
    remedy = "Once a round is open, only its close may move, and only later, with a reason."
    _refuse(core_services.decided_change_refusal(decision, changed, remedy=remedy), changed[0])


@transaction.atomic
def round_close(*, funding_round, by=None, now=None):
    current = _locked_round(funding_round)
    now = now or timezone.now()
    current.advance_to(FundingRound.Status.CLOSED)
    if now < current.closes_at:
        _refuse(f"The submission window is open until {timezone.localtime(current.closes_at):%d %B %Y %H:%M}.")
    editing.save_version(current, clean=False)
    return current


@transaction.atomic
def round_mark_evaluated(*, funding_round, by=None):
    current = _locked_round(funding_round)
    current.advance_to(FundingRound.Status.EVALUATED)
    missing = current.bids.submitted().exclude(evaluations__moderated=True)
    if missing.exists():
        refs = ", ".join(missing.values_list("reference", flat=True)[:10])
        _refuse(f"These bids have no moderated evaluation yet: {refs}.")
    editing.save_version(current, clean=False)
    notifications.tell_evaluation_complete(current)
    return current


@transaction.atomic
def round_publish_decisions(*, funding_round, by=None):
    """Publish the Body's decisions and queue the emails to applicants and supporters in the same
    transaction: if the round is published, everyone will be told, whatever the broker is doing."""
    current = _locked_round(funding_round)
    current.advance_to(FundingRound.Status.DECIDED)
    undecided = current.bids.submitted().filter(decision__isnull=True)
    if undecided.exists():
        refs = ", ".join(undecided.values_list("reference", flat=True)[:10])
        _refuse(f"These bids have no decision yet: {refs}.")
    current.decisions_published_at = timezone.now()
    editing.save_version(current, clean=False)
    notifications.queue_decision_notices(current)
    return current


# ---------------------------------------------------------------- bids


def _check_window(funding_round):
    if not funding_round.window_open():
        closes = timezone.localtime(funding_round.closes_at)
        if funding_round.status == FundingRound.Status.OPEN or timezone.now() >= funding_round.closes_at:
            raise WindowClosed(
                f"The submission window closed at {closes:%H:%M} on {closes:%d %B %Y}: "
                "bids can no longer be started, changed, submitted or withdrawn."
            )
        raise WindowClosed("This round is not open for bids.")


def _reference_prefix(funding_round):
    """``GB-2026-`` for the first programme to take bids in a year; ``GB-2026-P7-`` for any other.

    References are unique across the whole service, and rounds of different programmes share financial
    years. A round keeps the prefix its first bid was given. The caller holds the year's reference lock.
    """
    first = Bid.objects.filter(funding_round=funding_round).order_by("number").values_list("reference", flat=True)
    first = first.first()
    if first:
        return first[: first.rindex("-") + 1]
    plain = f"GB-{funding_round.financial_year}-"
    taken = (
        Bid.objects.filter(reference__startswith=plain, reference__regex=r"^GB-[0-9]+-[0-9]+$")
        .exclude(funding_round=funding_round)
        .exists()
    )
    return f"{plain}P{funding_round.programme_id}-" if taken else plain


def _next_reference(funding_round):
    # The round row is locked by the caller, so two officers starting bids at once get different numbers;
    # the year's advisory lock keeps two rounds of the same year from choosing their prefixes at once.
    # (SQLite, the embedded default, has no advisory locks: it takes one writer at a time anyway.)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext('growth-bid-reference'), %s)", [funding_round.financial_year]
            )
    last = Bid.objects.filter(funding_round=funding_round).order_by("-number").values_list("number", flat=True).first()
    number = (last or 0) + 1
    return number, f"{_reference_prefix(funding_round)}{number:03d}"


BID_CLEAN_EXCLUDE = ["number", "reference", "funding_round", "applicant", "created_by"]


def _apply(bid, data, *, bump=False):
    """Set the bid's fields from ``data``, validate and save it (a new version when ``bump``), then its lists."""
    for key in BID_FIELDS:
        if key in data:
            value = data[key]
            setattr(bid, key, "" if value is None and key in ("title", "contact_names", "summary") else value)
    for key in ("contact_email", "contact_phone"):
        if getattr(bid, key) is None:
            setattr(bid, key, "")
    if bump:
        editing.save_version(bid, clean_exclude=BID_CLEAN_EXCLUDE)
    else:
        bid.full_clean(exclude=BID_CLEAN_EXCLUDE)
        bid.save()
    if "districts" in data:
        bid.districts.set(data["districts"] or [])
    if "outcomes" in data:
        bid.outcomes.set(data["outcomes"] or [])
    statements = data.get("statements") or {}
    for criterion in bid.funding_round.criteria.all():
        if criterion.pk in statements or criterion.code in statements:
            text = statements.get(criterion.pk, statements.get(criterion.code)) or ""
            BidStatement.objects.update_or_create(bid=bid, criterion=criterion, defaults={"text": text})


def missing_for_submission(bid):
    """Field name -> message for everything a submission still needs."""
    missing = {}
    for key in REQUIRED_FOR_SUBMISSION:
        field = Bid._meta.get_field(key)
        if key in ("districts", "outcomes"):
            empty = not getattr(bid, key).exists()
            message = "Choose at least one district." if key == "districts" else "Choose at least one outcome."
        else:
            value = getattr(bid, key)
            empty = value is None or value == ""
            message = f"Give the {field.verbose_name} before you submit."
        if empty:
            missing[key] = message
    texts = {s.criterion_id: s.text.strip() for s in bid.statements.all()}
    for criterion in bid.funding_round.criteria.all():
        text = texts.get(criterion.pk)
        if not text:
            missing[f"statement_{criterion.code}"] = f"Write a short statement for criterion {criterion.code}."
        elif over_word_limit(criterion, text):
            missing[f"statement_{criterion.code}"] = over_word_limit(criterion, text)
    return missing


def _snapshot(bid, by):
    data = {key: str(getattr(bid, key)) if getattr(bid, key) is not None else None for key in BID_FIELDS}
    data["client_group"] = str(bid.client_group) if bid.client_group_id else None
    data["districts"] = [str(d) for d in bid.districts.all()]
    data["outcomes"] = [str(o) for o in bid.outcomes.all()]
    data["statements"] = {s.criterion.code: s.text for s in bid.statements.select_related("criterion")}
    data["status"] = bid.status
    number = (bid.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return BidRevision.objects.create(bid=bid, number=number, data=data, created_by=by)


def _require_applicant(by, bid):
    if not permissions.is_applicant_officer(by, bid):
        _refuse("Only an officer of the applicant organisation can change this bid.")


@transaction.atomic
def bid_create(*, funding_round, by, data=None, submit=False):
    """A new bid (a draft, or submitted at once when ``submit``). Drafts may be incomplete."""
    if not permissions.is_partner_officer(by):
        _refuse("Only officers of commissioning partners make growth bids; providers never do.")
    current = _locked_round(funding_round)
    _check_window(current)
    data = data or {}
    number, reference = _next_reference(current)
    bid = Bid(
        funding_round=current,
        number=number,
        reference=reference,
        applicant=by.organisation,
        created_by=by,
        contact_email=by.email or "",
        contact_names=by.display_name,
    )
    _apply(bid, data)
    if submit:
        _submit(bid, by)
    return bid


@transaction.atomic
def bid_update(*, bid, by, version, data, submit=False):
    """Save changes to a bid; a submitted bid stays submitted and a revision is kept."""
    current = Bid.objects.select_for_update(of=("self",)).select_related("funding_round").get(pk=bid.pk)
    _require_applicant(by, current)
    round_ = _locked_round(current.funding_round)
    current.funding_round = round_
    _check_window(round_)
    if current.status == Bid.Status.WITHDRAWN:
        _refuse("A withdrawn bid cannot be changed.")
    editing.check_version(current, version, noun="bid")
    decided = core_services.decision_in_force(current, BoundDecision.Kind.FUNDING)
    if decided is not None:
        _refuse(core_services.decided_change_refusal(decided, ["annual_amount"], remedy="A decided bid is not edited."))
    _apply(current, data, bump=True)
    if submit and current.status == Bid.Status.DRAFT:
        _submit(current, by)
    elif current.status == Bid.Status.SUBMITTED:
        missing = missing_for_submission(current)
        if missing:
            raise ValidationError(missing)
        _snapshot(current, by)
    return current


def _submit(bid, by, *, bump=False):
    missing = missing_for_submission(bid)
    if missing:
        raise ValidationError(missing)
    bid.status = Bid.Status.SUBMITTED
    bid.submitted_at = timezone.now()
    if bump:
        editing.save_version(bid, clean=False)
    else:
        bid.save()
    revision = _snapshot(bid, by)
    notifications.tell_bid_submitted(bid, revision)


@transaction.atomic
def bid_submit(*, bid, by, version):
    current = Bid.objects.select_for_update().get(pk=bid.pk)
    _require_applicant(by, current)
    _check_window(_locked_round(current.funding_round))
    editing.check_version(current, version, noun="bid")
    if current.status != Bid.Status.DRAFT:
        _refuse("Only a draft can be submitted.")
    _submit(current, by, bump=True)
    return current


@transaction.atomic
def bid_withdraw(*, bid, by):
    current = Bid.objects.select_for_update().get(pk=bid.pk)
    _require_applicant(by, current)
    _check_window(_locked_round(current.funding_round))
    if current.status == Bid.Status.WITHDRAWN:
        _refuse("This bid is already withdrawn.")
    current.status = Bid.Status.WITHDRAWN
    current.withdrawn_at = timezone.now()
    editing.save_version(current, clean=False)
    return current


# ---------------------------------------------------------------- supporters and notices


@transaction.atomic
def support_ask(*, bid, organisation, by):
    current = Bid.objects.select_for_update().get(pk=bid.pk)
    _require_applicant(by, current)
    _check_window(current.funding_round)
    if organisation is None or not organisation.is_commissioning_partner or organisation.is_provider:
        _refuse("Only commissioning partners can support a bid.", "organisation")
    if organisation.pk == current.applicant_id:
        _refuse("The applicant already counts as one partner; ask another partner.", "organisation")
    if SupportRequest.objects.filter(bid=current, organisation=organisation).exists():
        _refuse(f"{organisation} has already been asked to support this bid.", "organisation")
    request = SupportRequest(bid=current, organisation=organisation, asked_by=by)
    request.full_clean()
    request.save()
    notifications.tell_support_requested(request)
    return request


@transaction.atomic
def support_answer(*, support_request, by, confirm, note=""):
    current = (
        SupportRequest.objects.select_for_update(of=("self",))
        .select_related("bid__funding_round")
        .get(pk=support_request.pk)
    )
    if not permissions.can_answer_support(by, current):
        _refuse("Only an officer of the partner asked can answer, while the round is open.")
    current.status = SupportRequest.Status.CONFIRMED if confirm else SupportRequest.Status.DECLINED
    current.answered_by = by
    current.answered_at = timezone.now()
    current.note = note or ""
    current.full_clean()
    current.save()
    notifications.tell_support_answered(current)
    return current


@transaction.atomic
def notice_give(*, funding_round, by, proposal, writers, contact_email=""):
    if not permissions.can_give_notice(by, funding_round):
        _refuse("Notices of intent come from officers of commissioning partners before the window closes.")
    notice = NoticeOfIntent(
        funding_round=funding_round,
        organisation=by.organisation,
        proposal=proposal,
        writers=writers,
        contact_email=contact_email or "",
        created_by=by,
    )
    notice.full_clean()
    notice.save()
    notifications.tell_notice_received(notice)
    return notice


# ---------------------------------------------------------------- attachments


@transaction.atomic
def attachment_add(*, bid, by, upload):
    current = Bid.objects.select_for_update().get(pk=bid.pk)
    _require_applicant(by, current)
    _check_window(current.funding_round)
    try:
        # The form checks too (beside the field); this keeps every other caller honest.
        kind = uploads.validate_upload(upload, allowed=uploads.DOCUMENTS)
    except ValidationError as exc:
        raise BidError({"file": exc.messages}) from exc
    attachment = Attachment(
        bid=current,
        original_name=(upload.name or "document")[-255:],
        kind=kind,
        content_type=uploads.CONTENT_TYPES[kind],
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save("upload", upload, save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        # The database said no: do not leave the stored file behind.
        attachment.file.delete(save=False)
        raise
    return attachment


# ---------------------------------------------------------------- evaluations


def system_mark(criterion, bid):
    if criterion.system_rule == criterion.SystemRule.TWO_PARTNERS:
        partners = bid.partners_in_support()
        met = partners >= 2
        return met, f"Decided by the system: {partners} commissioning partner(s) including the applicant."
    return None


def evaluator_marks(bid, *, exclude_moderated=True):
    """The completed evaluators' marks of ``bid``: criterion id -> [(evaluator name, met, reason)]."""
    found = {}
    marks = EvaluationMark.objects.filter(evaluation__bid=bid).select_related("evaluation__evaluator")
    if exclude_moderated:
        marks = marks.filter(evaluation__moderated=False)
    for mark in marks.order_by("evaluation__evaluator__last_name", "evaluation__evaluator__pk"):
        name = mark.evaluation.evaluator.display_name
        found.setdefault(mark.criterion_id, []).append((name, mark.met, mark.reason))
    return found


@transaction.atomic
def evaluation_draft_save(*, bid, by, data, moderated=False, version=None):
    """Keep a half-done evaluation (or moderation) as typed, to be completed later. It counts for nothing until
    then. ``version``: the draft's version when the page was opened (None when there was no draft yet)."""
    current = Bid.objects.select_for_update(of=("self",)).select_related("funding_round").get(pk=bid.pk)
    refusal = permissions.evaluation_refusal(by, current)
    if refusal:
        raise Conflict(refusal)
    draft = EvaluationDraft.objects.select_for_update().filter(bid=current, evaluator=by, moderated=moderated).first()
    clean = {str(k): str(v)[:20000] for k, v in (data or {}).items() if v is not None}
    if draft is None:
        draft = EvaluationDraft(bid=current, evaluator=by, moderated=moderated, data=clean)
        draft.save()
        return draft
    editing.check_version(draft, version, noun="draft evaluation")
    return editing.save_version(draft, {"data": clean}, fields=["data"], clean=False)


def _departures(criteria, resolved, departures, others):
    """Moderated marks that differ from an evaluator's need the reason they depart (field -> message)."""
    errors = {}
    for criterion in criteria:
        if criterion.system_rule:
            continue
        met = resolved[criterion.pk][0]
        theirs = others.get(criterion.pk, [])
        differing = [name for name, their_met, _reason in theirs if met is not None and their_met != met]
        if differing and not (departures.get(criterion.pk) or "").strip():
            errors[f"departure_{criterion.code}"] = (
                f"The moderated mark for criterion {criterion.code} departs from {', '.join(differing)}'s: say why."
            )
    return errors


@transaction.atomic
def evaluation_save(*, bid, by, marks, written_evaluation, moderated=False, version=None, departures=None):
    """Record (or change) ``by``'s evaluation, or the bid's moderated one. ``marks``: criterion id -> (met, reason).

    ``version``: the evaluation's version when the page was opened (None when there was none yet); changing one
    that exists needs it. A moderated mark that differs from a completed evaluator's needs its reason in
    ``departures`` (criterion id -> text); the evaluators' own evaluations are never changed. Completing an
    evaluation deletes the person's half-done draft of it."""
    departures = departures or {}
    current = Bid.objects.select_for_update(of=("self",)).select_related("funding_round").get(pk=bid.pk)
    refusal = permissions.evaluation_refusal(by, current)
    if refusal:
        raise Conflict(refusal)
    lookup = {"bid": current, "moderated": True} if moderated else {"bid": current, "evaluator": by, "moderated": False}
    evaluation = Evaluation.objects.select_for_update().filter(**lookup).first()
    if evaluation is None:
        evaluation = Evaluation(bid=current, evaluator=by, moderated=moderated)
    else:
        editing.check_version(evaluation, version, noun="evaluation")
        evaluation.evaluator = by
    errors = {}
    criteria = list(current.funding_round.criteria.all())
    resolved = {}
    for criterion in criteria:
        automatic = system_mark(criterion, current)
        if automatic:
            resolved[criterion.pk] = automatic
            continue
        met, reason = marks.get(criterion.pk, (None, ""))
        if met is None:
            errors[f"met_{criterion.code}"] = f"Say whether criterion {criterion.code} is met."
        elif not (reason or "").strip():
            errors[f"reason_{criterion.code}"] = f"Give the reason for criterion {criterion.code}."
        resolved[criterion.pk] = (met, reason or "")
    if not (written_evaluation or "").strip():
        errors["written_evaluation"] = "Write the evaluation of the bid."
    if moderated:
        errors.update(_departures(criteria, resolved, departures, evaluator_marks(current)))
    if errors:
        raise ValidationError(errors)
    evaluation.written_evaluation = written_evaluation
    evaluation.score = sum(c.weight for c in criteria if resolved[c.pk][0])
    evaluation.eligible = all(resolved[c.pk][0] for c in criteria if c.mandatory)
    if evaluation.pk is None:
        evaluation.full_clean()
        evaluation.save()
    else:
        editing.save_version(evaluation)
    for criterion in criteria:
        met, reason = resolved[criterion.pk]
        defaults = {"met": bool(met), "reason": reason}
        if moderated:
            defaults["departure_reason"] = (departures.get(criterion.pk) or "").strip()
        EvaluationMark.objects.update_or_create(evaluation=evaluation, criterion=criterion, defaults=defaults)
    for draft in EvaluationDraft.objects.filter(bid=current, evaluator=by, moderated=moderated):
        draft.delete()
    if moderated:
        current.score = evaluation.score
        current.eligible = evaluation.eligible
        current.save(update_fields=["score", "eligible", "updated_at"])
    return evaluation


# ---------------------------------------------------------------- who evaluates what


def assignment_refusal(user, funding_round):
    if not permissions.is_team(user, funding_round):
        return "Only the programme team assigns evaluators."
    if funding_round.status in (FundingRound.Status.DRAFT, FundingRound.Status.DECIDED):
        return "Evaluators are assigned once the round is open, until the decisions are published."
    return None


@transaction.atomic
def assignments_save(*, funding_round, by, chosen):
    """Set who evaluates which bid: ``chosen`` maps each bid id of the round to the evaluators (users) wanted.

    Bids not named keep their assignments. Only the round's programme team can be assigned, and nobody with a
    conflict of interest in the bid or who recorded its decision."""
    current = _locked_round(funding_round)
    refusal = assignment_refusal(by, current)
    if refusal:
        raise Conflict(refusal)
    bids = {b.pk: b for b in current.bids.filter(pk__in=list(chosen)).prefetch_related("support_requests")}
    errors = []
    for bid_id, evaluators in chosen.items():
        bid = bids.get(bid_id)
        if bid is None:
            errors.append("That bid is not in this round.")
            continue
        for evaluator in evaluators:
            name = evaluator.display_name
            conflict = conflict_reason(evaluator, bid)
            if not permissions.is_team(evaluator, current):
                errors.append(f"{name} is not in the programme team of this round.")
            elif permissions.has_decided(evaluator, bid):
                errors.append(f"{name} recorded the decision on {bid.reference}, so cannot evaluate it.")
            elif conflict:
                errors.append(f"{name} cannot evaluate {bid.reference}: {conflict}")
    if errors:
        raise BidError(errors)
    for bid_id, evaluators in chosen.items():
        wanted = {u.pk for u in evaluators}
        for assignment in EvaluatorAssignment.objects.filter(bid_id=bid_id):
            if assignment.evaluator_id not in wanted:
                assignment.delete()
            wanted.discard(assignment.evaluator_id)
        for user_id in wanted:
            EvaluatorAssignment.objects.create(bid_id=bid_id, evaluator_id=user_id, assigned_by=by)


def assignment_progress(funding_round):
    """Who evaluates what and how far each has gone.

    Returns ``(rows, evaluators)``: a row per submitted bid (``bid``, ``assigned``: [(user, state)], ``done``,
    ``moderated``); and per evaluator (``user``, ``assigned``, ``done``, ``in_progress``). States: "Completed",
    "In progress" (a half-done draft) or "Not started"."""
    bids = list(
        funding_round.bids.submitted()
        .select_related("applicant")
        .prefetch_related("assignments__evaluator")
        .order_by("number")
    )
    completed = set(Evaluation.objects.filter(bid__in=bids, moderated=False).values_list("bid_id", "evaluator_id"))
    moderated = set(Evaluation.objects.filter(bid__in=bids, moderated=True).values_list("bid_id", flat=True))
    started = set(EvaluationDraft.objects.filter(bid__in=bids, moderated=False).values_list("bid_id", "evaluator_id"))
    rows, people = [], {}
    for bid in bids:
        assigned = []
        for assignment in bid.assignments.all():
            key = (bid.pk, assignment.evaluator_id)
            state = "Completed" if key in completed else "In progress" if key in started else "Not started"
            assigned.append((assignment.evaluator, state))
            person = people.setdefault(
                assignment.evaluator_id,
                {"user": assignment.evaluator, "assigned": 0, "done": 0, "in_progress": 0},
            )
            person["assigned"] += 1
            person["done"] += state == "Completed"
            person["in_progress"] += state == "In progress"
        rows.append(
            {
                "bid": bid,
                "assigned": assigned,
                "done": sum(1 for _u, state in assigned if state == "Completed"),
                "moderated": bid.pk in moderated,
            }
        )
    for person in people.values():
        person["not_started"] = person["assigned"] - person["done"] - person["in_progress"]
    evaluators = sorted(people.values(), key=lambda p: (p["user"].last_name, p["user"].pk))
    return rows, evaluators


# ---------------------------------------------------------------- decisions


def funded_total(funding_round, exclude_bid=None):
    qs = Decision.objects.filter(funding_round=funding_round, outcome=Decision.Outcome.FUNDED)
    if exclude_bid is not None:
        qs = qs.exclude(bid=exclude_bid)
    return to_money(qs.aggregate(total=Sum("amount"))["total"] or 0)


@transaction.atomic
def decision_record(*, bid, by, outcome, meeting_date, amount=None, minute_ref="", notes="", reason=""):
    """The Body's decision on one bid. The round row is locked so two deciders cannot overspend together.

    A bid is funded at the amount asked, or at less with a reason; never above it. "Not funded" carries a
    reason the applicant sees."""
    round_ = FundingRound.objects.select_for_update().get(pk=bid.funding_round_id)
    current = Bid.objects.select_for_update().get(pk=bid.pk)
    current.funding_round = round_
    refusal = permissions.decision_refusal(by, current)
    if refusal:
        raise Conflict(refusal)
    if outcome not in Decision.Outcome.values or outcome == Decision.Outcome.FELL_THROUGH:
        _refuse("Choose funded, reserve or not funded.", "outcome")
    if outcome in (Decision.Outcome.FUNDED, Decision.Outcome.RESERVE) and current.eligible is False:
        _refuse("This bid fails a mandatory criterion, so it can be neither funded nor held in reserve.", "outcome")
    if outcome == Decision.Outcome.FUNDED:
        if amount is None or to_money(amount) <= 0:
            _refuse("Give the amount funded (more than £0).", "amount")
        amount = to_money(amount)
        _check_amount_against_ask(current, amount, reason)
        others = funded_total(round_, exclude_bid=current)
        left = round_.available - others
        if amount > left:
            raise Overspend(
                {
                    "amount": f"Funding {format_money(amount)} would overspend the round: "
                    f"{format_money(others)} is already funded of {format_money(round_.available)} available, "
                    f"so {format_money(left)} is left."
                }
            )
    else:
        amount = None
    if outcome == Decision.Outcome.NOT_FUNDED and not (reason or "").strip():
        _refuse("Give the reason the bid is not funded: the applicant sees it.", "reason")
    if outcome == Decision.Outcome.RESERVE:
        other = Decision.objects.filter(funding_round=round_, outcome=Decision.Outcome.RESERVE).exclude(bid=current)
        other = other.select_related("bid").first()
        if other:
            _refuse(f"This round already has a reserve: {other.bid.reference}. Change that decision first.", "outcome")
    decision = Decision.objects.filter(bid=current).first() or Decision(bid=current, funding_round=round_)
    decision.outcome = outcome
    decision.amount = amount
    decision.meeting_date = meeting_date
    decision.minute_ref = minute_ref or ""
    decision.notes = notes or ""
    decision.reason = (reason or "").strip()
    decision.decided_by = by
    decision.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError as exc:
        raise BidError("This round already has a reserve bid.") from exc
    _bind_funding_decision(decision, current, by)
    return decision


FUNDING_FIELDS = ("applicant", "title", "annual_amount")


def _bind_funding_decision(decision, bid, by):
    """Record the Body's decision bound to the bid it decided (its version and a digest of what was asked and
    what was decided: core_groups.Decision), superseding the one in force, so the register keeps every change."""
    from core_groups.decisions import decided_values

    values = decided_values(bid, FUNDING_FIELDS)
    amount = f"{decision.amount:.2f}" if decision.amount is not None else None
    values.update(outcome=decision.outcome, amount=amount, reason=decision.reason)
    core_services.record_decision(
        subject=bid,
        kind=BoundDecision.Kind.FUNDING,
        outcome=decision.outcome,
        decided_by=by,
        decided_on=decision.meeting_date,
        subject_version=bid.version,
        values=values,
        deciding_body=bid.funding_round.programme.decided_by or "Commissioning Body",
        minute=decision.minute_ref,
        conditions="\n\n".join(t for t in (decision.reason, decision.notes) if t),
    )


# In a batch, money and the reserve are freed before they are claimed: "not funded" first, then funded, then reserve.
_BATCH_ORDER = {Decision.Outcome.NOT_FUNDED: 0, Decision.Outcome.FUNDED: 1, Decision.Outcome.RESERVE: 2}


@transaction.atomic
def decisions_record_many(*, funding_round, by, meeting_date, minute_ref="", rows):
    """Several of the Body's decisions at once, all or nothing, each through ``decision_record``'s checks.

    ``rows`` are dicts with ``bid``, ``outcome``, ``amount``, ``reason`` and ``notes``. The round's row is locked
    for the whole batch, so the total, the one reserve, conflicts and the amounts asked are checked against the
    batch's own earlier rows. When any row is refused nothing is saved (DecisionsRefused names each row's error).
    """
    FundingRound.objects.select_for_update().get(pk=funding_round.pk)
    errors = {}
    decisions = []
    for row in sorted(rows, key=lambda r: _BATCH_ORDER.get(r["outcome"], 3)):
        bid = row["bid"]
        try:
            if bid.funding_round_id != funding_round.pk:
                _refuse("This bid is not in this round.")
            with transaction.atomic():
                decisions.append(
                    decision_record(
                        bid=bid,
                        by=by,
                        outcome=row["outcome"],
                        meeting_date=meeting_date,
                        amount=row.get("amount"),
                        minute_ref=minute_ref,
                        notes=row.get("notes") or "",
                        reason=row.get("reason") or "",
                    )
                )
        except ValidationError as exc:
            errors[bid.pk] = exc
    if errors:
        raise DecisionsRefused(errors)
    return decisions


def _check_amount_against_ask(bid, amount, reason):
    asked = to_money(bid.annual_amount) if bid.annual_amount is not None else None
    if asked is None:
        return
    if amount > asked:
        _refuse(
            f"The bid asked for {format_money(asked)} a year: funding above the amount asked "
            f"({format_money(amount)}) is refused. Fund it at {format_money(asked)} or less.",
            "amount",
        )
    if amount < asked and not (reason or "").strip():
        _refuse(
            f"Funding {format_money(amount)} is less than the {format_money(asked)} asked: give the reason, "
            "which the applicant sees.",
            "reason",
        )


@transaction.atomic
def decision_fall_through(*, bid, by, meeting_date, minute_ref="", promote_reserve=True):
    """A funded scheme did not come off: record it, and promote the reserve when it fits the money left."""
    round_ = FundingRound.objects.select_for_update().get(pk=bid.funding_round_id)
    current = Bid.objects.select_for_update(of=("self",)).select_related("decision").get(pk=bid.pk)
    if not permissions.can_record_fall_through(by, current):
        raise Conflict("Only a Body member without an interest can record that a funded bid fell through.")
    decision = current.decision
    decision.outcome = Decision.Outcome.FELL_THROUGH
    decision.meeting_date = meeting_date
    decision.minute_ref = minute_ref or decision.minute_ref
    decision.decided_by = by
    decision.save()
    _bind_funding_decision(decision, current, by)
    promoted = None
    if promote_reserve:
        reserve = (
            Decision.objects.select_for_update()
            .select_related("bid")
            .filter(funding_round=round_, outcome=Decision.Outcome.RESERVE)
            .first()
        )
        if reserve is not None:
            left = round_.available - funded_total(round_)
            if reserve.bid.annual_amount and reserve.bid.annual_amount <= left:
                reserve.outcome = Decision.Outcome.FUNDED
                reserve.amount = reserve.bid.annual_amount
                reserve.meeting_date = meeting_date
                reserve.minute_ref = minute_ref or reserve.minute_ref
                reserve.decided_by = by
                reserve.save()
                _bind_funding_decision(reserve, reserve.bid, by)
                promoted = reserve
                notifications.tell_reserve_promoted(reserve)
    notifications.tell_fell_through(decision, promoted)
    return decision, promoted


def conflict_message(user, bid):
    return conflict_reason(user, bid)


# ---------------------------------------------------------------- from growth bid to procurement


def _project_title(bid):
    if bid.title:
        return bid.title[:200]
    summary = " ".join(bid.summary.split())
    if summary:
        return summary if len(summary) <= 200 else summary[:199].rstrip() + "…"
    return f"Growth bid {bid.reference}"


def _project_description(bid, decision):
    funding_round = bid.funding_round
    minute = f", minute {decision.minute_ref}" if decision.minute_ref else ""
    lines = [
        f"From growth bid {bid.reference} of {funding_round}: funded at {format_money(decision.amount)} a year "
        f"by the {funding_round.programme.decided_by or 'Commissioning Body'} on "
        f"{decision.meeting_date:%d %B %Y}{minute}."
    ]
    if bid.summary:
        lines += ["", bid.summary]
    return "\n".join(lines)


def bid_project_partners(bid):
    """The applicant, then the partners that confirmed their support, each once.

    The money is the round's growth money, not the partners' own, so each partner's contribution is £0; the
    funded amount is the project's estimated annual value.
    """
    organisations = [bid.applicant]
    seen = {bid.applicant_id}
    requests = bid.support_requests.select_related("organisation").order_by("organisation__name")
    for request in requests:
        if request.status == SupportRequest.Status.CONFIRMED and request.organisation_id not in seen:
            seen.add(request.organisation_id)
            organisations.append(request.organisation)
    return [(organisation, Decimal("0.00")) for organisation in organisations]


@transaction.atomic
def bid_to_procurement_project(
    *,
    bid,
    by,
    template,
    contract_start,
    project_manager=None,
    tupe=False,
    contract_years=3,
    reference=None,
):
    """Turn a funded bid into a procurement project with its timetable drawn from ``template``, and link the two.

    The bid row is locked first, so two people doing this at once make one project: the second is told which.
    """
    # Lock the bid row on its own, then read what it points at. Joined in the locking query, a project made
    # by someone who held the lock first would be read from before the wait: the link set, the project None.
    Bid.objects.select_for_update().filter(pk=bid.pk).values_list("pk", flat=True).get()
    current = Bid.objects.select_related(
        "funding_round__programme", "applicant", "decision", "procurement_project"
    ).get(pk=bid.pk)
    refusal = permissions.procurement_refusal(by, current)
    if refusal:
        raise Conflict(refusal)
    if template is None:
        _refuse("Choose the timetable template the project follows.", "template")
    if contract_start is None:
        _refuse("Give the date the contract starts.", "contract_start")
    reference = (reference or current.reference).strip()
    if ProcurementProject.objects.filter(reference__iexact=reference).exists():
        _refuse(f"A procurement project with the reference {reference} already exists; choose another.", "reference")
    decision = current.decision
    project = project_create(
        title=_project_title(current),
        reference=reference,
        procedure=template.procedure,
        regime=template.regime,
        approach=Approach.SINGLE,
        lead_organisation=current.applicant,
        partners=bid_project_partners(current),
        estimated_annual_value=decision.amount,
        contract_years=contract_years,
        contract_start=contract_start,
        template=template,
        tupe=tupe,
        description=_project_description(current, decision),
        project_manager=project_manager,
        created_by=by,
        change_note=f"Drawn from the template for growth bid {current.reference}",
        partnership=current.funding_round.programme.partnership,
    )
    current.procurement_project = project
    current.save(update_fields=["procurement_project", "updated_at"])
    return project
