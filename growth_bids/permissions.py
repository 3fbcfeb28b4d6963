"""Who may do what with rounds and bids. Plain functions used by views, templates and tests.

Reading a bid: the applicant's officers (drafts included), officers of partners asked to support it,
and, once it is submitted, the programme team and the Commissioning Body. A draft withdrawn before it was
ever submitted stays the applicant's: withdrawing never widens who may read a bid. Everybody else gets a 404.
"""

from django.db.models import Q

from core_groups.conflicts import conflict_reason
from core_groups.permissions import (
    in_partnership,
    is_administrator,
    is_body_member,
    is_officer,
    is_programme_team,
    is_provider_user,
    works_for_partner,
)

from .models import Bid, Decision, Evaluation, FundingRound, SupportRequest


def _signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


def is_team(user, within=None):
    return is_programme_team(user, within) or is_administrator(user, within)


def is_partner_officer(user, within=None):
    return is_officer(user, within) and works_for_partner(user) and not is_provider_user(user)


def sees_all_submitted(user, within=None):
    return is_team(user, within) or is_body_member(user, within)


# Bids the programme team and the Body may read: submitted ones, and withdrawn ones that were once submitted.
EVER_SUBMITTED = Q(status=Bid.Status.SUBMITTED) | Q(status=Bid.Status.WITHDRAWN, submitted_at__isnull=False)


def was_submitted(bid):
    return bid.status == Bid.Status.SUBMITTED or (bid.status == Bid.Status.WITHDRAWN and bid.submitted_at is not None)


def visible_bids(queryset, user):
    if not _signed_in(user):
        return queryset.none()
    q = Q(pk__in=[])
    if user.organisation_id and is_partner_officer(user):
        q |= Q(applicant_id=user.organisation_id)
        q |= Q(support_requests__organisation_id=user.organisation_id)
    if sees_all_submitted(user):
        q |= EVER_SUBMITTED
    return queryset.filter(q).distinct()


def can_view_round(user, funding_round):
    if not _signed_in(user) or is_provider_user(user):
        return False
    if not in_partnership(user, funding_round):
        return False
    if is_team(user, funding_round):
        return True
    return funding_round.status != FundingRound.Status.DRAFT and (
        is_partner_officer(user, funding_round) or is_body_member(user, funding_round)
    )


def can_manage_round(user, funding_round=None):
    return is_team(user, funding_round)


def is_applicant_officer(user, bid):
    return is_partner_officer(user, bid) and user.organisation_id == bid.applicant_id


def can_view_bid(user, bid):
    if not _signed_in(user) or not in_partnership(user, bid):
        return False
    if is_applicant_officer(user, bid):
        return True
    if is_partner_officer(user, bid) and any(
        s.organisation_id == user.organisation_id for s in bid.support_requests.all()
    ):
        return True
    return was_submitted(bid) and sees_all_submitted(user, bid)


def can_start_bid(user, funding_round=None):
    if not is_partner_officer(user, funding_round):
        return False
    return funding_round is None or funding_round.window_open()


def can_edit_bid(user, bid):
    return is_applicant_officer(user, bid) and bid.status != Bid.Status.WITHDRAWN and bid.funding_round.window_open()


def can_withdraw_bid(user, bid):
    return can_edit_bid(user, bid)


def can_attach(user, bid):
    return can_edit_bid(user, bid)


def can_ask_support(user, bid):
    return can_edit_bid(user, bid)


def can_answer_support(user, support_request):
    return (
        is_partner_officer(user, support_request.bid)
        and user.organisation_id == support_request.organisation_id
        and support_request.status == SupportRequest.Status.ASKED
        and support_request.bid.status != Bid.Status.WITHDRAWN
        and support_request.bid.funding_round.status in (FundingRound.Status.DRAFT, FundingRound.Status.OPEN)
    )


def can_give_notice(user, funding_round):
    return is_partner_officer(user, funding_round) and funding_round.status in (
        FundingRound.Status.DRAFT,
        FundingRound.Status.OPEN,
    )


def evaluation_refusal(user, bid):
    """Why ``user`` may not evaluate ``bid`` (None when they may)."""
    if not is_team(user, bid):
        return "Only the programme team evaluates bids."
    if bid.status != Bid.Status.SUBMITTED:
        return "Only submitted bids are evaluated."
    if bid.funding_round.status not in (FundingRound.Status.CLOSED, FundingRound.Status.EVALUATED):
        return "Bids are evaluated after the submission window has closed, before the Body decides."
    if has_decided(user, bid):
        return (
            "You recorded the Body's decision on this bid, so you may not also evaluate or moderate it: "
            "nobody both assesses a bid and decides it."
        )
    return conflict_reason(user, bid)


# Separation of duties. Superusers and people holding both roles included: whoever has ever evaluated or
# moderated a bid (in any version of an evaluation) never records its decision, and the other way round.


def has_assessed(user, bid):
    return bool(user.pk) and Evaluation.history.filter(bid_id=bid.pk, evaluator_id=user.pk).exists()


def has_decided(user, bid):
    return bool(user.pk) and Decision.history.filter(bid_id=bid.pk, decided_by_id=user.pk).exists()


def can_evaluate(user, bid):
    return evaluation_refusal(user, bid) is None


def can_view_body_list(user, funding_round):
    return sees_all_submitted(user, funding_round) and funding_round.status != FundingRound.Status.DRAFT


def decision_refusal(user, bid):
    if not is_body_member(user, bid):
        return "Only members of the Commissioning Body record decisions."
    if bid.status != Bid.Status.SUBMITTED:
        return "Only submitted bids are decided."
    if bid.funding_round.status != FundingRound.Status.EVALUATED:
        return "The Body decides once every bid has a moderated evaluation, until the decisions are published."
    if bid.procurement_project_id:
        return "This bid has become a procurement project, so its decision stands."
    if has_assessed(user, bid):
        return (
            "You evaluated or moderated this bid, so another member of the Body must record its decision: "
            "nobody both assesses a bid and decides it."
        )
    return conflict_reason(user, bid)


def can_decide(user, bid):
    return decision_refusal(user, bid) is None


def can_publish_decisions(user, funding_round):
    return (
        is_body_member(user, funding_round) or is_team(user, funding_round)
    ) and funding_round.status == FundingRound.Status.EVALUATED


def can_record_fall_through(user, bid):
    decision = getattr(bid, "decision", None)
    return (
        is_body_member(user, bid)
        and decision is not None
        and decision.outcome == "funded"
        and bid.funding_round.status in (FundingRound.Status.EVALUATED, FundingRound.Status.DECIDED)
        and conflict_reason(user, bid) is None
    )


def procurement_refusal(user, bid):
    """Why ``user`` may not turn ``bid`` into a procurement project (None when they may)."""
    if not is_team(user, bid):
        return "Only the programme team turns a funded bid into a procurement project."
    if bid.procurement_project_id:
        return f"This bid is already procurement project {bid.procurement_project.reference}."
    decision = getattr(bid, "decision", None)
    if decision is None or decision.outcome != "funded":
        state = decision.get_outcome_display().lower() if decision else "not decided yet"
        return f"Only a funded bid becomes a procurement project; {bid.reference} is {state}."
    return None


def can_make_procurement_project(user, bid):
    return procurement_refusal(user, bid) is None
