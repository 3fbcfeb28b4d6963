from django.core.exceptions import ValidationError


class BidError(ValidationError):
    """A rule of the growth-bid process refused the action; the message says why."""


class WindowClosed(BidError):
    pass


class Overspend(BidError):
    pass


class Conflict(BidError):
    pass
