"""The sections each kind of report may carry, in the order they appear in the document.

A section marked ``confidential`` holds sensitive financial details: the public edition leaves it out
entirely (process and criteria are public; the money is not).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    narrative: str = ""  # the BoardReport field an officer types, for narrative sections
    confidential: bool = False
    appendix: bool = False
    help: str = ""


HIGHLIGHT = [
    Section("background", "Background", narrative="background"),
    Section("issues", "Issues and actions", narrative="issues"),
    Section("equity", "Equity and transparency", narrative="equity_and_transparency"),
    Section("key_risks", "Key risks and mitigation", help="From the risk register, highest score first."),
    Section(
        "money_position",
        "Money position and underspend",
        confidential=True,
        help="Each core group's allocation, spend and underspend split for the financial year.",
    ),
    Section("workplan_progress", "Work-plan progress by phase", help="Commissions by phase and status."),
    Section(
        "performance_measures",
        "Outcomes and performance measures",
        help="Each measure's baseline, targets and actuals from providers' returns, with its trend.",
    ),
    Section(
        "engagement",
        "Meetings, attendance and events",
        help="Attendance at the period's meetings and the events held, by sector.",
    ),
    Section(
        "procurement_timetables",
        "Procurement timetables",
        help="Each project's red/amber/green status and next milestones.",
    ),
    Section("growth_round_outcomes", "Growth-round outcomes", help="Bids funded, in reserve and not funded."),
    Section("recent_achievements", "Recent achievements / for information", narrative="recent_achievements"),
    Section("next_steps", "Next steps", narrative="next_steps"),
    Section("appendix_overview", "Programme overview", appendix=True, help="Core groups and their work plans."),
    Section(
        "appendix_timetables",
        "Procurement timetables in full",
        appendix=True,
        help="Each timetable with its version, task by task.",
    ),
]

BODY_PACK = [
    Section(
        "recommendations",
        "Recommendations",
        narrative="recommendations",
        help="What the Body is asked to do; drafted from the ranking when left blank.",
    ),
    Section("money_available", "Money available"),
    Section("ranking", "Ranked bids and recommendation"),
    Section("criteria_matrix", "Criteria met, bid by bid", help="Each bid against each criterion, with the weights."),
    Section(
        "implications",
        "Financial, legal and equality implications",
        help="Typed by the programme team; the financial one opens with the money committed.",
    ),
    Section("contact", "Contact officer and background papers"),
    Section("bid_details", "Each bid with its evaluation", appendix=True),
]

TIMETABLE = [
    Section("timetable", "Procurement timetable"),
    Section(
        "conflicts_assessment",
        "Conflicts assessment",
        help="Who was assessed for conflicts of interest, what was found and the mitigations (Procurement Act 2023 "
        "s.83).",
    ),
]

BY_KIND = {"highlight": HIGHLIGHT, "body_pack": BODY_PACK, "timetable": TIMETABLE}

DEFAULTS = {
    "highlight": [s.key for s in HIGHLIGHT],
    "body_pack": [s.key for s in BODY_PACK],
    "timetable": [s.key for s in TIMETABLE],
}


def sections_for(kind):
    return BY_KIND.get(kind, [])


def section_choices(kind=None):
    if kind is None:
        seen, result = set(), []
        for sections in BY_KIND.values():
            for s in sections:
                if s.key not in seen:
                    seen.add(s.key)
                    result.append((s.key, s.title))
        return result
    return [(s.key, s.title) for s in sections_for(kind)]


def get(kind, key):
    for s in sections_for(kind):
        if s.key == key:
            return s
    return None


def ordered(kind, chosen):
    """The chosen keys in the document's order, unknown keys dropped."""
    chosen = set(chosen or [])
    return [s for s in sections_for(kind) if s.key in chosen]
