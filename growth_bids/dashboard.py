"""Dashboard panels: an officer's bids and their outcomes, support requests waiting, the team's and Body's work."""

from core_groups.permissions import is_body_member
from foundation.extensions import Panel

from . import permissions
from .models import Bid, FundingRound, SupportRequest


def panels(request):
    user = request.user
    result = []
    if permissions.is_partner_officer(user) and user.organisation_id:
        bids = list(
            Bid.objects.filter(applicant_id=user.organisation_id)
            .select_related("funding_round", "decision")
            .order_by("-funding_round__financial_year", "number")[:10]
        )
        supported = list(
            Bid.objects.filter(support_requests__organisation_id=user.organisation_id)
            .exclude(status=Bid.Status.DRAFT)
            .select_related("funding_round", "decision", "applicant")
            .order_by("-funding_round__financial_year", "number")[:10]
        )
        waiting = list(
            SupportRequest.objects.filter(organisation_id=user.organisation_id, status=SupportRequest.Status.ASKED)
            .select_related("bid__applicant")
            .order_by("asked_at")[:10]
        )
        open_rounds = [r for r in FundingRound.objects.filter(status=FundingRound.Status.OPEN) if r.window_open()]
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
            FundingRound.objects.exclude(status=FundingRound.Status.DECIDED)
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
