"""Dashboard panels: an officer's bids and their outcomes, support requests waiting, the team's and Body's work."""

from core_groups.permissions import is_body_member
from foundation.extensions import Panel

from . import permissions
from .models import Bid, FundingRound, SupportRequest
from .selectors import for_partnership, latest_bids_of


def panels(request):
    user = request.user
    partnership = getattr(request, "partnership", None)
    result = []
    if permissions.is_partner_officer(user) and user.organisation_id:
        bids = latest_bids_of(user.organisation_id, partnership)
        supported = list(
            for_partnership(Bid, partnership)
            .filter(support_requests__organisation_id=user.organisation_id)
            .exclude(status=Bid.Status.DRAFT)
            .select_related("funding_round", "decision", "applicant")
            .order_by("-funding_round__financial_year", "number")[:10]
        )
        waiting = list(
            for_partnership(SupportRequest, partnership)
            .filter(organisation_id=user.organisation_id, status=SupportRequest.Status.ASKED)
            .select_related("bid__applicant")
            .order_by("asked_at")[:10]
        )
        open_rounds = [
            r
            for r in for_partnership(FundingRound, partnership).filter(status=FundingRound.Status.OPEN)
            if r.window_open()
        ]
        result.append(
            Panel(
                title="Growth bids",
                template="growth_bids/panels/officer.html",
                context={"bids": bids, "supported": supported, "waiting": waiting, "open_rounds": open_rounds},
                order=10,
            )
        )
    if permissions.is_team(user) or is_body_member(user):
        rounds = list(
            for_partnership(FundingRound, partnership)
            .exclude(status=FundingRound.Status.DECIDED)
            .select_related("programme")
            .order_by("-financial_year")[:5]
        )
        result.append(
            Panel(
                title="Funding rounds in progress",
                template="growth_bids/panels/rounds.html",
                context={"rounds": rounds, "body": is_body_member(user)},
                order=12,
            )
        )
    return result
