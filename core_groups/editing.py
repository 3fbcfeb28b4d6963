"""Who may change which fields of a commission: the one rule, as a pure function over plain values.

The service (services.commission_create/commission_update), the form (CommissionForm disables the
fields and refuses a forged change) and the admin (read-only fields) all ask ``commission_field_locks``;
permissions.commission_locked_fields supplies the facts about the user and the commission.

- A provider organisation's user reads the work plan and may comment, but never changes the route,
  status, provider, value, dates, business case or any decision field (their organisation may bid for
  the work), and changes nothing at all of a commission in which their organisation is, or may be, the
  provider (named as provider, or an interest in force declared in the commission).
- A core group member keeps the work plan, but the decision fields (the JCG's decision on a business
  case, the specification's approval) are changed only by the JCG or the programme team, through the
  decision services, never by editing the record.
"""

# Fields of the record that hold a decision: written only by the decision services.
DECISION_FIELDS = frozenset(
    {
        "business_case_decision",
        "business_case_decided_on",
        "specification_state",
        "specification_decided_by",
        "specification_decided_at",
    }
)

# What a provider's user never changes on any commission (besides the decision fields).
PROVIDER_LOCKED_FIELDS = frozenset(
    {
        "route",
        "status",
        "provider",
        "annual_value",
        "indicative_start",
        "indicative_end",
        "business_case",
    }
)

# Every field an editor could otherwise change (the work plan's fields and the decision fields).
ALL_FIELDS = frozenset(
    {"title", "service_area", "phase", "lead_officer", "notes"} | PROVIDER_LOCKED_FIELDS | DECISION_FIELDS
)

PROVIDER_REASON = (
    "A provider's user may read and comment on the work plan but not change its route, status, provider, "
    "value, dates, business case or decisions: your organisation may bid for this work."
)
STAKE_REASON = "Your organisation is, or may be, the provider of this commission, so you may read it but not change it."
DECISION_REASON = (
    "Decisions on the business case and the specification are recorded by the JCG or the programme team "
    "on the commission's page, not by editing the work plan."
)


def commission_field_locks(*, is_provider_user: bool, has_provider_stake: bool, is_decider: bool) -> dict[str, str]:
    """The fields this user may not change, each with the reason to show them."""
    locks: dict[str, str] = {}
    if has_provider_stake:
        return dict.fromkeys(ALL_FIELDS, STAKE_REASON)
    if is_provider_user:
        locks.update(dict.fromkeys(PROVIDER_LOCKED_FIELDS | DECISION_FIELDS, PROVIDER_REASON))
    elif not is_decider:
        locks.update(dict.fromkeys(DECISION_FIELDS, DECISION_REASON))
    return locks


def refused_changes(locks: dict[str, str], changed: set[str]) -> dict[str, str]:
    """The subset of ``changed`` fields that ``locks`` forbids, with the reasons."""
    return {name: locks[name] for name in sorted(changed) if name in locks}
