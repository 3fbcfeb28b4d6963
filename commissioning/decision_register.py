"""The decision register (issue 13 item 6): every decision of one partnership, on one page and in a CSV.

It reads the JCG's decisions on business cases and specifications (core_groups.Decision, superseded ones
included, marked so), the Commissioning Body's funding decisions (growth_bids.Decision), the moves of an
open round's close (growth_bids.WindowMove), and the round openings, timetable version publications and
underspend policy adoptions (core_groups.Decision, each bound to the version and digest it decided). Each
source is scoped to the partnership by its app's ``for_partnership``, so another partnership's decisions never
appear.

The public edition leaves out the amounts: the same rule as the public report edition
(commissioning.reports.sections ``public=``), which never shows money figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from core_groups import permissions
from core_groups import selectors as core_selectors
from core_groups.models import Commission
from core_groups.models import Decision as CoreDecision
from growth_bids import selectors as bid_selectors
from growth_bids.models import Decision as FundingDecision
from growth_bids.models import FundingRound, WindowMove

KINDS = [
    ("business_case", "Business case"),
    ("specification", "Specification"),
    ("funding", "Funding decision"),
    ("window_move", "Round close moved"),
    ("round_opening", "Round opening"),
    ("timetable", "Timetable version publication"),
    ("underspend_policy", "Underspend policy adoption"),
]
OUTCOMES = [
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("funded", "Funded"),
    ("reserve", "Reserve"),
    ("not_funded", "Not funded"),
    ("fell_through", "Funded, but fell through"),
    ("moved", "Moved later"),
    ("opened", "Opened"),
    ("published", "Published"),
    ("adopted", "Adopted"),
]
# The decisions bound through core_groups.Decision whose subject is not a commission: kind -> how to find the
# partnership's subjects, name them and link to them.
BOUND_KINDS = ("round_opening", "timetable", "underspend_policy")
JCG = "Joint Commissioning Group"
TEAM = "Programme team"


@dataclass
class Entry:
    kind: str
    kind_label: str
    subject: str
    url: str
    deciding_body: str
    decided_on: dt.date
    meeting: str
    minute: str
    outcome: str
    outcome_label: str
    amount: Decimal | None
    reasons: str
    decided_by: str
    in_force: bool
    version: int | None = None


def can_view_register(user: Any, partnership: Any = None) -> bool:
    return (
        permissions.is_programme_team(user, partnership)
        or permissions.is_body_member(user, partnership)
        or permissions.is_administrator(user, partnership)
    )


def _name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _meeting_and_minute(d: Any) -> tuple[str, str]:
    """Where a decision was taken: the minute item it is linked to in the meetings (review), or what it recorded."""
    link = getattr(d, "review_minute", None)
    if link is not None:
        item = link.minute_item
        return str(item.meeting), str(item)
    return d.meeting, d.minute


def _core_entries(partnership: Any) -> list[Entry]:
    commissions = {
        c.pk: c for c in core_selectors.for_partnership(Commission, partnership).select_related("core_group")
    }
    decisions = CoreDecision.objects.filter(
        content_type=ContentType.objects.get_for_model(Commission), object_id__in=list(commissions)
    ).select_related("decided_by", "review_minute__minute_item__meeting")
    entries = []
    for d in decisions:
        commission = commissions[d.object_id]
        meeting, minute = _meeting_and_minute(d)
        entries.append(
            Entry(
                kind=d.kind,
                kind_label=d.get_kind_display(),
                subject=f"{commission.title} ({commission.core_group.name})",
                url=reverse("core_groups:commission", args=[commission.pk]),
                deciding_body=d.deciding_body or JCG,
                decided_on=d.decided_on,
                meeting=meeting,
                minute=minute,
                outcome=d.outcome,
                outcome_label=d.get_outcome_display(),
                amount=_amount(d.decided_values.get("annual_value")),
                reasons=d.conditions,
                decided_by=_name(d.decided_by),
                in_force=not d.is_superseded,
                version=d.subject_version,
            )
        )
    return entries


def _funding_entries(partnership: Any) -> list[Entry]:
    decisions = bid_selectors.for_partnership(FundingDecision, partnership).select_related(
        "bid", "funding_round__programme", "decided_by"
    )
    return [
        Entry(
            kind="funding",
            kind_label="Funding decision",
            subject=f"{d.bid.reference} {d.bid.title}",
            url=reverse("growth_bids:bid_detail", args=[d.bid.pk]),
            deciding_body=d.funding_round.programme.decided_by or "Commissioning Body",
            decided_on=d.meeting_date,
            meeting=f"{d.funding_round.programme.decided_by or 'Commissioning Body'}, {d.meeting_date:%-d %B %Y}",
            minute=d.minute_ref,
            outcome=d.outcome,
            outcome_label=d.get_outcome_display(),
            amount=d.amount,
            reasons=d.reason,
            decided_by=_name(d.decided_by),
            in_force=True,
        )
        for d in decisions
    ] + _superseded_funding_entries(partnership)


def _superseded_funding_entries(partnership: Any) -> list[Entry]:
    """The Body's earlier decisions on a bid, replaced by a later one: kept bound (core_groups.Decision on the bid,
    growth_bids.services) and listed as superseded, so the register shows every decision, not only the last."""
    from growth_bids.models import Bid

    bids = {b.pk: b for b in bid_selectors.for_partnership(Bid, partnership).select_related("funding_round__programme")}
    superseded = CoreDecision.objects.superseded().filter(
        kind=CoreDecision.Kind.FUNDING,
        content_type=ContentType.objects.get_for_model(Bid),
        object_id__in=list(bids),
    )
    entries = []
    for d in superseded.select_related("decided_by"):
        bid = bids[d.object_id]
        body = d.deciding_body or "Commissioning Body"
        entries.append(
            Entry(
                kind="funding",
                kind_label="Funding decision",
                subject=f"{bid.reference} {bid.title}",
                url=reverse("growth_bids:bid_detail", args=[bid.pk]),
                deciding_body=body,
                decided_on=d.decided_on,
                meeting=f"{body}, {d.decided_on:%-d %B %Y}",
                minute=d.minute,
                outcome=d.outcome,
                outcome_label=d.get_outcome_display(),
                amount=_amount(d.decided_values.get("amount")),
                reasons=d.decided_values.get("reason") or "",
                decided_by=_name(d.decided_by),
                in_force=False,
                version=d.subject_version,
            )
        )
    return entries


def _window_entries(partnership: Any) -> list[Entry]:
    rounds = bid_selectors.for_partnership(FundingRound, partnership)
    moves = WindowMove.objects.filter(funding_round__in=rounds).select_related("funding_round", "moved_by")
    entries = []
    for m in moves:
        moved_to = timezone.localtime(m.moved_to)
        entries.append(
            Entry(
                kind="window_move",
                kind_label="Round close moved",
                subject=str(m.funding_round),
                url=reverse("growth_bids:round_detail", args=[m.funding_round.pk]),
                deciding_body=TEAM,
                decided_on=timezone.localdate(m.moved_at),
                meeting="",
                minute="",
                outcome="moved",
                outcome_label=f"Moved later, to {moved_to:%-d %B %Y %H:%M}",
                amount=None,
                reasons=m.reason,
                decided_by=_name(m.moved_by),
                in_force=True,
            )
        )
    return entries


def _bound_subjects(partnership: Any) -> dict[str, tuple[type, dict[int, tuple[str, str]]]]:
    """For each bound kind: the subject model and, by id, the (name, url) of the partnership's subjects."""
    from procurement import selectors as procurement_selectors
    from procurement.models import Timetable, UnderspendPolicy

    rounds = {
        r.pk: (str(r), reverse("growth_bids:round_detail", args=[r.pk]))
        for r in bid_selectors.for_partnership(FundingRound, partnership).select_related("programme")
    }
    timetables = {
        t.pk: (
            f"{t.project.reference} {t.project.title}: timetable",
            reverse("procurement:project_detail", args=[t.project_id]),
        )
        for t in procurement_selectors.for_partnership(Timetable, partnership).select_related("project")
    }
    policies = {
        p.pk: (str(p), reverse("procurement:underspend"))
        for p in procurement_selectors.for_partnership(UnderspendPolicy, partnership).select_related("programme")
    }
    return {
        "round_opening": (FundingRound, rounds),
        "timetable": (Timetable, timetables),
        "underspend_policy": (UnderspendPolicy, policies),
    }


def _bound_entries(partnership: Any, kind: str = "") -> list[Entry]:
    """Round openings, timetable publications and underspend policy adoptions (core_groups.Decision)."""
    entries = []
    for bound_kind, (model, subjects) in _bound_subjects(partnership).items():
        if kind and kind != bound_kind:
            continue
        decisions = CoreDecision.objects.filter(
            kind=bound_kind, content_type=ContentType.objects.get_for_model(model), object_id__in=list(subjects)
        ).select_related("decided_by", "review_minute__minute_item__meeting")
        for d in decisions:
            name, url = subjects[d.object_id]
            meeting, minute = _meeting_and_minute(d)
            label = d.get_outcome_display()
            if bound_kind == "timetable":
                label = f"Published v{d.subject_version}"
            entries.append(
                Entry(
                    kind=d.kind,
                    kind_label=d.get_kind_display(),
                    subject=name,
                    url=url,
                    deciding_body=d.deciding_body or TEAM,
                    decided_on=d.decided_on,
                    meeting=meeting,
                    minute=minute,
                    outcome=d.outcome,
                    outcome_label=label,
                    amount=_amount(d.decided_values.get("growth_money")),
                    reasons=d.conditions,
                    decided_by=_name(d.decided_by),
                    in_force=not d.is_superseded,
                    version=d.subject_version,
                )
            )
    return entries


class RegisterFilter(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=[("", "All types"), *KINDS], required=False)
    body = forms.CharField(label="Deciding body", required=False, max_length=200)
    meeting = forms.CharField(label="Meeting", required=False, max_length=200)
    outcome = forms.ChoiceField(choices=[("", "All outcomes"), *OUTCOMES], required=False)
    date_from = forms.DateField(label="Decided from", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="Decided to", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(
        choices=[("-date", "Newest first"), ("date", "Oldest first")], required=False, initial="-date"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end of the date range is before its start.")
        return data


def entries(partnership: Any, filters: dict[str, Any] | None = None) -> list[Entry]:
    """Every decision of ``partnership`` that passes ``filters`` (a RegisterFilter's cleaned data), by date."""
    f = filters or {}
    kind = f.get("kind") or ""
    found: list[Entry] = []
    if kind in ("", "business_case", "specification"):
        found += _core_entries(partnership)
    if kind in ("", "funding"):
        found += _funding_entries(partnership)
    if kind in ("", "window_move"):
        found += _window_entries(partnership)
    if kind in ("", *BOUND_KINDS):
        found += _bound_entries(partnership, kind)
    if kind:
        found = [e for e in found if e.kind == kind]
    if f.get("outcome"):
        found = [e for e in found if e.outcome == f["outcome"]]
    if (body := (f.get("body") or "").strip().lower()) != "":
        found = [e for e in found if body in e.deciding_body.lower()]
    if (meeting := (f.get("meeting") or "").strip().lower()) != "":
        found = [e for e in found if meeting in e.meeting.lower() or meeting in e.minute.lower()]
    if f.get("date_from"):
        found = [e for e in found if e.decided_on >= f["date_from"]]
    if f.get("date_to"):
        found = [e for e in found if e.decided_on <= f["date_to"]]
    newest_first = (f.get("sort") or "-date") != "date"
    found.sort(key=lambda e: (e.decided_on, e.kind, e.subject), reverse=newest_first)
    return found


def csv_rows(found: list[Entry], *, public: bool) -> tuple[list[str], list[list[Any]]]:
    header = ["Date", "Type", "Subject", "Deciding body", "Meeting", "Minute", "Outcome", "Status"]
    if not public:
        header.append("Amount (£)")
    header += ["Conditions or reasons", "Decided by"]
    rows = []
    for e in found:
        row: list[Any] = [
            e.decided_on,
            e.kind_label,
            e.subject,
            e.deciding_body,
            e.meeting,
            e.minute,
            e.outcome_label,
            "In force" if e.in_force else "Superseded",
        ]
        if not public:
            row.append(e.amount)
        row += [e.reasons, e.decided_by]
        rows.append(row)
    return header, rows
