from django.core.exceptions import ValidationError


class ConcurrentEditError(ValidationError):
    """Someone else changed the record since the form was opened; the second person is told, never overwritten."""
