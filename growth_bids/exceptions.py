from django.core.exceptions import ValidationError


class BidError(ValidationError):
    """A rule of the growth-bid process refused the action; the message says why."""


class WindowClosed(BidError):
    pass


class Overspend(BidError):
    pass


class Conflict(BidError):
    pass


class DecisionsRefused(BidError):
    """Some rows of a batch of decisions were refused, so none was saved. ``row_errors`` maps a bid's pk to why."""

    def __init__(self, row_errors):
        count = len(row_errors)
        super().__init__(
            f"{count} of the decisions {'was' if count == 1 else 'were'} refused, so none was saved: "
            "correct the rows marked below and record them again."
        )
        self.row_errors = row_errors
