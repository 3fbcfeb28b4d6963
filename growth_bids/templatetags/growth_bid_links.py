"""The way back from a procurement project to the growth bid it came from.

Procurement sits below growth bids, so its templates cannot know about bids; the project page loads this
library instead: ``{% load growth_bid_links %}{% project_growth_bids project %}``. Only bids the person may
read are named, so the link never leaks a bid's existence.
"""

from django import template

from growth_bids.models import Bid

register = template.Library()


@register.inclusion_tag("growth_bids/_project_growth_bids.html", takes_context=True)
def project_growth_bids(context, project):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    bids = (
        Bid.objects.visible_to(user).filter(procurement_project=project).select_related("funding_round").order_by("pk")
        if user is not None and project is not None
        else Bid.objects.none()
    )
    return {"growth_bids": list(bids)}
