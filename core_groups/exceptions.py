"""Errors raised by core_groups services. Views turn them into messages beside the form."""

from django.core.exceptions import PermissionDenied, ValidationError


class NotAllowed(PermissionDenied):
    """The user may not make this change (a role they lack, or a declared interest)."""


__all__ = ["NotAllowed", "ValidationError", "PermissionDenied"]
