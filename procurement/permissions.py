"""Who may see and change procurement projects."""

from core_groups.permissions import (
    can_edit_group,
    can_see_money,
    in_partnership,
    is_administrator,
    is_body_member,
    is_programme_team,
    is_provider_user,
)


def can_see_all_projects(user, within=None):
    return is_programme_team(user, within) or is_administrator(user, within) or is_body_member(user, within)


def can_view_project(user, project):
    if not (user and user.is_authenticated):
        return False
    if not in_partnership(user, project):
        return False
    if can_see_all_projects(user, project):
        return True
    from .selectors import visible_projects

    return visible_projects(user).filter(pk=project.pk).exists()


def can_create_project(user):
    """The programme team runs procurement projects (administrators support them)."""
    if not (user and user.is_authenticated) or is_provider_user(user):
        return False
    return is_programme_team(user) or is_administrator(user)


def can_change_project(user, project):
    """The programme team and the project's manager; never a provider's user (they may be bidding)."""
    if not (user and user.is_authenticated) or is_provider_user(user):
        return False
    return is_programme_team(user, project) or is_administrator(user, project) or project.project_manager_id == user.pk


def can_update_task(user, task, project):
    """Status, date done and notes: the person responsible for the task, the project manager, the programme team.

    Only tasks of the current version; earlier versions are kept as they were published.
    """
    if not (user and user.is_authenticated) or is_provider_user(user):
        return False
    if not task.timetable.is_current:
        return False
    return can_change_project(user, project) or task.responsible_user_id == user.pk


def can_plan_task(user, project):
    """Moving a task's due date (and its precision) is for the project manager and the programme team."""
    return can_change_project(user, project)


def can_add_project_risk(user, project):
    """As core_groups.services.risk_create allows: the programme team, or members of the commission's core group."""
    if not (user and user.is_authenticated) or is_provider_user(user):
        return False
    if is_programme_team(user, project):
        return True
    return bool(project.commission_id and can_edit_group(user, project.commission.core_group))


def can_assess_conflicts(user, project):
    """The project's conflicts assessment (Procurement Act 2023 s.83) is written by the programme team and the
    project manager (never a provider's user); everyone who may see the project reads it."""
    return can_change_project(user, project)


def can_publish_timetable(user, project):
    return can_change_project(user, project)


def can_view_underspend(user):
    return can_see_money(user) and (
        is_programme_team(user) or is_administrator(user) or is_body_member(user) or _is_core_group_member(user)
    )


def can_see_project_money(user):
    return can_see_money(user)


def _is_core_group_member(user):
    from core_groups.permissions import is_core_group_member

    return is_core_group_member(user)
