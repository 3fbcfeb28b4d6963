"""Who may read and write the review records.

The programme team (and administrators) keep measures, review returns and record meetings. A provider's
user has one job here: submitting returns for their own organisation's services, and reading those; they
never see other services' figures (nor the programme page that shows them all). Officers, Body and core
group members read the programme's measures, meetings and events.
"""

from core_groups.permissions import is_administrator, is_programme_team, is_provider_user


def _signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


def is_review_keeper(user):
    return is_programme_team(user) or is_administrator(user)


def can_view_programme_review(user, programme=None):
    """Every service's measures and actuals: not for a provider's user, who sees only their own services."""
    return _signed_in(user) and not is_provider_user(user)


def can_view_returns(user):
    return _signed_in(user) and (is_review_keeper(user) or is_provider_user(user))


def owns_service(user, commission):
    org_id = getattr(user, "organisation_id", None)
    return is_provider_user(user) and org_id is not None and commission.provider_id == org_id


def can_submit_return(user, commission):
    """The service's provider (their users), or the programme team on the provider's behalf."""
    return _signed_in(user) and (is_review_keeper(user) or owns_service(user, commission))


def can_view_return(user, return_record):
    return _signed_in(user) and (is_review_keeper(user) or owns_service(user, return_record.commission))


def can_review_return(user, return_record=None):
    return _signed_in(user) and is_review_keeper(user)


def can_view_meetings(user):
    return _signed_in(user)


def can_record_meetings(user, meeting=None):
    """Minutes (their numbered items and the decisions taken under them) are kept by the programme team."""
    return _signed_in(user) and is_review_keeper(user)


def can_view_events(user):
    return _signed_in(user)


def can_edit_measures(user, programme=None):
    """Measures, baselines and targets are set by the programme team."""
    return _signed_in(user) and is_review_keeper(user)


def can_view_actions(user):
    """The action plan is read by everyone signed in to the partnership but a provider's user."""
    return _signed_in(user) and not is_provider_user(user)


def can_add_action(user, programme=None):
    return _signed_in(user) and is_review_keeper(user)


def can_edit_action(user, action=None):
    """The programme team, or the action's owner (who records progress on it)."""
    if not _signed_in(user):
        return False
    return is_review_keeper(user) or (action is not None and action.owner_id == user.pk)


def can_view_contracts(user):
    """The contracts register holds money: not for a provider's user."""
    return _signed_in(user) and not is_provider_user(user)


def can_add_contract(user, programme=None):
    return _signed_in(user) and is_review_keeper(user)


def can_edit_contract(user, contract=None):
    return _signed_in(user) and is_review_keeper(user)
