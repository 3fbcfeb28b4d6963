"""Errors raised by review services. Views turn them into messages beside the form."""

from django.core.exceptions import PermissionDenied, ValidationError


class NotAllowed(PermissionDenied):
    """The user may not make this change."""


__all__ = ["NotAllowed", "ValidationError", "PermissionDenied"]
