class ReportError(Exception):
    """A report action that cannot go ahead, with a message for the user."""


class NotAllowed(ReportError):
    pass
