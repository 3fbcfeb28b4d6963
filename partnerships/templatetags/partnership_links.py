"""The way back from a procurement project to the shared service whose partners chose aligned budgets.

Procurement sits below shared commissioning, so its templates cannot know about it; the project page loads this
library instead: ``{% load partnership_links %}{% project_shared_services project %}``. Only people who may see
the options and decisions page are shown the link.
"""

from django import template

from partnerships.models import ServiceArea
from partnerships.permissions import can_view_preferences

register = template.Library()


@register.inclusion_tag("partnerships/_project_shared_services.html", takes_context=True)
def project_shared_services(context, project):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    areas = []
    if user is not None and project is not None and can_view_preferences(user):
        areas = list(ServiceArea.objects.filter(procurement_project=project).order_by("name"))
    return {"shared_services": areas}
