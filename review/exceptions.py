"""Errors raised by review services. Views turn them into messages beside the form."""

from django.core.exceptions import PermissionDenied, ValidationError


class StaleEdit(ValidationError):
    """Someone else saved the record after this person opened it: their change must not be overwritten."""


class NotAllowed(PermissionDenied):
    """The user may not make this change."""


__all__ = ["StaleEdit", "NotAllowed", "ValidationError", "PermissionDenied"]
