"""Errors raised by core_groups services. Views turn them into messages beside the form."""

from django.core.exceptions import PermissionDenied, ValidationError


class NotAllowed(PermissionDenied):
    """The user may not make this change (a role they lack, or a declared interest)."""


class FieldsLocked(ValidationError):
    """The user tried to change fields they may not change (core_groups.editing): one message per field.

    A ValidationError, so that forms show each reason beside its field; nothing is saved."""

    def __init__(self, refused):
        super().__init__({name: [f"You may not change this field. {reason}"] for name, reason in refused.items()})
        self.refused = refused


__all__ = ["FieldsLocked", "NotAllowed", "ValidationError", "PermissionDenied"]
