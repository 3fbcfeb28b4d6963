"""The Commissioning Body's pack for a growth round (DOMAIN Rule 1, seed 004): the money available, the
ranked bids with their scores and the recommendation within the money and reserve, then each bid with its
answers and written evaluation. Reads growth_bids; each function returns plain, JSON-ready values.

The public edition keeps scores, ranking and outcomes (process and criteria are public) and leaves out
each bid's amount, cost per service user and the running totals.
"""

from django.db.models import Prefetch

from .sections import iso, money

OUTCOME_LABELS = {"fund": "Recommended", "reserve": "Reserve", "not_funded": "Not recommended"}


def _submitted_bids(funding_round):
    from growth_bids.models import Bid, EvaluationMark

    marks = EvaluationMark.objects.select_related("criterion").order_by("criterion__order", "criterion__code")
    return list(
        Bid.objects.filter(funding_round=funding_round, status=Bid.Status.SUBMITTED)
        .select_related("applicant", "client_group")
        .prefetch_related(
            "districts",
            "outcomes",
            "statements__criterion",
            "evaluations__evaluator",
            Prefetch("evaluations__marks", queryset=marks),
        )
    )


def money_available(funding_round, *, public=False):
    from growth_bids.models import Bid

    bids = Bid.objects.filter(funding_round=funding_round, status=Bid.Status.SUBMITTED)
    data = {
        "round": str(funding_round),
        "financial_year_label": funding_round.fy,
        "growth_money": money(funding_round.growth_money),
        "holdback_pct": format(funding_round.holdback_pct.normalize(), "f"),
        "holdback": money(funding_round.holdback),
        "available": money(funding_round.available),
        "bid_count": bids.count(),
        "decision_by": iso(funding_round.decision_by),
        "criteria": [
            {"code": c.code, "question": c.question, "weight": c.weight, "mandatory": c.mandatory}
            for c in funding_round.criteria.order_by("order", "code")
        ],
    }
    if not public:
        data["asked_total"] = money(sum((b.annual_amount or 0 for b in bids), 0))
    return data


def ranking(funding_round, *, public=False, bids=None):
    from growth_bids.selectors import round_recommendation

    recommendation = round_recommendation(funding_round)
    by_ref = {b.reference: b for b in (bids if bids is not None else _submitted_bids(funding_round))}
    running = {ref: (funded, left) for ref, funded, left in recommendation.running}
    rows = []
    for position, reference in enumerate(recommendation.ranked, start=1):
        bid = by_ref.get(reference)
        if bid is None:
            continue
        outcome = recommendation.outcome(reference)
        row = {
            "rank": position,
            "reference": reference,
            "applicant": bid.applicant.label,
            "title": bid.title,
            "score": bid.score,
            "eligible": bool(bid.eligible),
            "service_users": bid.service_users,
            "outcome": outcome,
            "outcome_label": OUTCOME_LABELS[outcome] if bid.eligible else "Not eligible",
        }
        if not public:
            cost = bid.cost_per_service_user
            row.update(
                {
                    "amount": money(bid.annual_amount) if bid.annual_amount is not None else None,
                    "cost_per_user": money(cost) if cost is not None else None,
                    "funded_so_far": money(running[reference][0]),
                    "left": money(running[reference][1]),
                }
            )
        rows.append(row)
    data = {
        "rows": rows,
        "funded": recommendation.funded,
        "reserve": recommendation.reserve,
        "available": money(recommendation.available),
    }
    if not public:
        data["funded_total"] = money(recommendation.funded_total)
        data["left"] = money(recommendation.left)
    return data


def bid_details(funding_round, *, public=False, bids=None):
    from growth_bids.selectors import round_recommendation

    recommendation = round_recommendation(funding_round)
    bids = bids if bids is not None else _submitted_bids(funding_round)
    order = {ref: i for i, ref in enumerate(recommendation.ranked)}
    bids = sorted(bids, key=lambda b: (order.get(b.reference, len(order)), b.reference))
    result = []
    for bid in bids:
        evaluations = sorted(bid.evaluations.all(), key=lambda e: (not e.moderated, -(e.updated_at.timestamp())))
        evaluation = evaluations[0] if evaluations else None
        statements = sorted(bid.statements.all(), key=lambda s: (s.criterion.order, s.criterion.code))
        entry = {
            "reference": bid.reference,
            "applicant": bid.applicant.name,
            "title": bid.title,
            "contact_names": bid.contact_names,
            "summary": bid.summary,
            "client_group": bid.client_group.name if bid.client_group_id else "",
            "districts": ", ".join(d.name for d in bid.districts.all()),
            "service_users": bid.service_users,
            "hours_per_week": str(bid.hours_per_week) if bid.hours_per_week is not None else None,
            "hours_per_year": str(bid.hours_per_year) if bid.hours_per_year is not None else None,
            "start_date": iso(bid.start_date),
            "outcomes": [o.name for o in bid.outcomes.all()],
            "score": bid.score,
            "recommendation": OUTCOME_LABELS[recommendation.outcome(bid.reference)],
            "statements": [
                {"code": s.criterion.code, "question": s.criterion.question, "text": s.text} for s in statements
            ],
            "evaluation": None,
        }
        if not public:
            entry["amount"] = money(bid.annual_amount) if bid.annual_amount is not None else None
        if evaluation is not None:
            entry["evaluation"] = {
                "text": evaluation.written_evaluation,
                "score": evaluation.score,
                "eligible": evaluation.eligible,
                "moderated": evaluation.moderated,
                "marks": [{"code": m.criterion.code, "met": m.met, "reason": m.reason} for m in evaluation.marks.all()],
            }
        result.append(entry)
    return {"bids": result}


def round_outcomes(programme, period, *, public=False):
    """Highlight-report section: growth rounds of the programme decided in (or for) the period's year."""
    from growth_bids.models import Decision, FundingRound

    rounds = list(
        FundingRound.objects.filter(programme=programme, financial_year=period.financial_year).prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("bid__applicant"))
        )
    )
    result = []
    for funding_round in rounds:
        decisions = list(funding_round.decisions.all())
        if not decisions:
            continue
        rows = []
        for d in sorted(decisions, key=lambda d: (d.outcome != "funded", d.outcome != "reserve", d.bid.reference)):
            row = {
                "reference": d.bid.reference,
                "applicant": d.bid.applicant.label,
                "title": d.bid.title,
                "outcome": d.get_outcome_display(),
            }
            if not public:
                row["amount"] = money(d.amount) if d.amount is not None else None
            rows.append(row)
        entry = {"round": str(funding_round), "decisions": rows}
        if not public:
            entry["available"] = money(funding_round.available)
            entry["funded_total"] = money(sum((d.amount or 0 for d in decisions if d.outcome == "funded"), 0))
        result.append(entry)
    return {"rounds": result} if result else None


def recommendations(funding_round, report, *, public=False):
    """What the Body is asked to do: the programme team's words when typed, else drafted from the ranking."""
    typed = (getattr(report, "recommendations", "") or "").strip()
    if typed:
        return {"text": typed, "drafted": False}
    from growth_bids.models import Bid
    from growth_bids.selectors import round_recommendation

    recommendation = round_recommendation(funding_round)
    named_refs = [*recommendation.funded, *([recommendation.reserve] if recommendation.reserve else [])]
    by_ref = {
        b.reference: b
        for b in Bid.objects.filter(funding_round=funding_round, reference__in=named_refs).select_related("applicant")
    }

    def named(reference):
        bid = by_ref.get(reference)
        if bid is None:
            return reference
        amount = "" if public or bid.annual_amount is None else f", £{bid.annual_amount:,.2f} a year"
        return f"{reference} ({bid.applicant.label}{amount})"

    lines = ["The Body is asked to:"]
    if recommendation.funded:
        money_words = (
            ""
            if public
            else f", committing £{recommendation.funded_total:,.2f} of the £{recommendation.available:,.2f} "
            f"available and leaving £{recommendation.left:,.2f}"
        )
        lines.append(
            "- fund the " + f"{len(recommendation.funded)} bid{'s' if len(recommendation.funded) != 1 else ''} "
            "recommended within the money available: "
            + "; ".join(named(r) for r in recommendation.funded)
            + money_words
            + ";"
        )
    else:
        lines.append("- note that no bid can be funded within the money available;")
    if recommendation.reserve:
        lines.append(
            f"- agree {named(recommendation.reserve)} as the reserve bid, funded should a recommended bid not go ahead;"
        )
    lines.append("- note the bids not recommended, with their evaluations in the appendix.")
    return {"text": "\n".join(lines), "drafted": True}


def criteria_matrix(funding_round, *, public=False):
    """Bids x criteria met (moderated marks), in rank order, with the weights and the count of bids meeting each."""
    from growth_bids.selectors import criteria_matrix as matrix_for
    from growth_bids.selectors import round_recommendation

    recommendation = round_recommendation(funding_round)
    order = {ref: i for i, ref in enumerate(recommendation.ranked)}
    bids = sorted(_submitted_bids_plain(funding_round), key=lambda b: (order.get(b.reference, len(order)), b.reference))
    matrix = matrix_for(funding_round, bids)
    if not matrix.criteria:
        return None
    return {
        "criteria": [{"code": c.code, "weight": c.weight, "mandatory": c.mandatory} for c in matrix.criteria],
        "most": matrix.most,
        "rows": [
            {
                "reference": bid.reference,
                "title": bid.title,
                "met": met,
                "score": bid.score,
                "eligible": bid.eligible,
            }
            for bid, met in matrix.rows
        ],
        "met_counts": matrix.met_counts(),
    }


def _submitted_bids_plain(funding_round):
    from growth_bids.models import Bid

    return list(Bid.objects.filter(funding_round=funding_round, status=Bid.Status.SUBMITTED).order_by("reference"))


def implications(funding_round, report, *, public=False):
    """Financial, legal and equality implications as typed; the financial one opens with the round's figures."""
    from growth_bids.selectors import round_recommendation

    financial = (report.financial_implications or "").strip()
    if not public:
        recommendation = round_recommendation(funding_round)
        figures = (
            f"Funding the recommended bids commits £{recommendation.funded_total:,.2f} a year of the "
            f"£{recommendation.available:,.2f} available for {funding_round.fy}, leaving £{recommendation.left:,.2f}."
        )
        financial = f"{figures}\n\n{financial}" if financial else figures
    data = {
        "financial": financial,
        "legal": (report.legal_implications or "").strip(),
        "equality": (report.equality_implications or "").strip(),
    }
    return data if any(data.values()) else None


def contact(report, *, public=False):
    officer = (report.contact_officer or "").strip()
    papers = [line.strip(" -•*\t") for line in (report.background_papers or "").splitlines() if line.strip()]
    if not officer and not papers:
        return None
    return {"officer": officer, "papers": papers}
