"""Reads for board reports, with the permission rules applied in the query."""

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet

from core_groups.models import Programme, User
from core_groups.permissions import (
    is_administrator,
    is_body_member,
    is_core_group_member,
    is_programme_team,
    is_provider_user,
)
from core_groups.tenancy import for_partnership, partnership_ids_of

from ..models import BoardReport, Rendering

_NO_REQUEST = object()


def _partnership_programmes(user: User) -> QuerySet[Programme]:
    """The programmes of the partnership the person works in now (set for the request by core_groups.middleware);
    outside a request (a task), those of every partnership they are in."""
    current = getattr(user, "current_partnership", _NO_REQUEST)
    if current is _NO_REQUEST:
        if user.is_superuser:
            return Programme.objects.all()
        return Programme.objects.filter(partnership__in=partnership_ids_of(user))
    return for_partnership(Programme.objects.all(), current)


def visible_programmes(user: User) -> QuerySet[Programme]:
    programmes = _partnership_programmes(user)
    if is_administrator(user) or is_programme_team(user) or is_body_member(user):
        return programmes
    if is_core_group_member(user):
        return programmes.filter(
            Q(core_groups__memberships__user=user) | Q(core_groups__lead_support_officer=user)
        ).distinct()
    return Programme.objects.none()


def reports_for(user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[BoardReport]:
    """The reports a user may read, newest meeting first; ``filters`` is a ReportFilter's data."""
    qs = BoardReport.objects.filter(programme__in=visible_programmes(user)).select_related("programme", "created_by")
    if filters is not None:
        from .filters import ReportFilter

        qs = ReportFilter(filters, queryset=qs, user=user).qs
    return qs


def visible_renderings(user: User, report: BoardReport) -> QuerySet[Rendering]:
    qs = Rendering.objects.filter(report=report).select_related("requested_by")
    if is_provider_user(user):
        qs = qs.filter(edition=BoardReport.Edition.PUBLIC)
    return qs


def latest_renderings(user: User, report: BoardReport) -> list[Rendering]:
    """The newest rendering of each edition the user may read: what the report page shows at the top."""
    latest: dict[str, Rendering] = {}
    for rendering in visible_renderings(user, report).order_by("-requested_at", "-id"):
        latest.setdefault(rendering.edition, rendering)
    return [latest[e] for e in (BoardReport.Edition.INTERNAL, BoardReport.Edition.PUBLIC) if e in latest]
