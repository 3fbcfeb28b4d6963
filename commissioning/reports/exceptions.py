class ReportError(Exception):
    """A report action that cannot go ahead, with a message for the user."""


class EditConflict(ReportError):
    """Someone else saved the report since this person opened it."""


class NotAllowed(ReportError):
    pass
