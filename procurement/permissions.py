"""Who may see and change procurement projects."""

from core_groups.permissions import can_see_money, is_administrator, is_body_member, is_programme_team


def can_see_all_projects(user):
    return is_programme_team(user) or is_administrator(user) or is_body_member(user)


def can_view_project(user, project):
    if not (user and user.is_authenticated):
        return False
    if can_see_all_projects(user):
        return True
    from .selectors import visible_projects

    return visible_projects(user).filter(pk=project.pk).exists()


def can_change_project(user, project):
    if not (user and user.is_authenticated):
        return False
    return is_programme_team(user) or is_administrator(user) or project.project_manager_id == user.pk


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
