"""Errors raised by core_groups services. Views turn them into messages beside the form."""

from django.core.exceptions import PermissionDenied, ValidationError


class EditConflict(ValidationError):
    """Someone else saved the record after this editor opened it: their change must not be overwritten."""


class NotAllowed(PermissionDenied):
    """The user may not make this change (a role they lack, or a declared interest)."""


__all__ = ["EditConflict", "NotAllowed", "ValidationError", "PermissionDenied"]
