"""A navigation module whose own import is broken: the registry must say so, not skip the app."""

import a_module_that_does_not_exist  # noqa: F401


def items(user):
    return []
