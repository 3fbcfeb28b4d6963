from django.core.exceptions import ValidationError


class BidError(ValidationError):
    """A rule of the growth-bid process refused the action; the message says why."""


class WindowClosed(BidError):
    pass


class StaleEdit(BidError):
    """Someone else saved the record since this person opened it."""


class Overspend(BidError):
    pass


class Conflict(BidError):
    pass
