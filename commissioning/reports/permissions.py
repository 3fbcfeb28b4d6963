"""Who may do what with board reports.

The programme team writes and renders; Commissioning Body members and core group members read; nobody
reads a report of a programme they cannot see; users from provider organisations read only the public
edition (they never see money).
"""

from core_groups.models import CoreGroup
from core_groups.permissions import (
    in_partnership,
    is_administrator,
    is_body_member,
    is_core_group_member,
    is_programme_team,
    is_provider_user,
)


def can_see_programme(user, programme):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not in_partnership(user, programme):
        return False
    if is_administrator(user, programme) or is_programme_team(user, programme) or is_body_member(user, programme):
        return True
    if is_core_group_member(user, programme):
        return CoreGroup.objects.filter(programme=programme, memberships__user=user).exists() or (
            CoreGroup.objects.filter(programme=programme, lead_support_officer=user).exists()
        )
    return False


def can_list_reports(user):
    return bool(user and user.is_authenticated) and (
        is_administrator(user) or is_programme_team(user) or is_body_member(user) or is_core_group_member(user)
    )


def can_create_report(user):
    return is_programme_team(user) or is_administrator(user)


def can_view_report(user, report):
    return can_list_reports(user) and can_see_programme(user, report.programme)


def can_edit_report(user, report):
    return can_create_report(user) and can_see_programme(user, report.programme)


def can_render_report(user, report):
    return can_edit_report(user, report)


def can_read_edition(user, edition):
    """Users from provider organisations never get the internal edition."""
    return edition == "public" or not is_provider_user(user)


def can_download_rendering(user, rendering):
    return rendering.is_ready and can_view_report(user, rendering.report) and can_read_edition(user, rendering.edition)
