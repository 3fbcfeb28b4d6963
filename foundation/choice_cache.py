"""Selects of a model's rows whose HTML is kept between requests: a list page's filter of a thousand core groups
is read and written once, not on every request (issue 17: the work plan and the risk register grew with the
partnership's core groups, 1,000 options at ten times the bench's volumes).

A model is registered in its app's ``ready`` (``register(CoreGroup)``, with the models its selects filter by); a
ModelChoiceField of it whose widget is a ``CachedOptionsSelect`` is rendered from the cache (foundation/caching.py)
under a key made of the queryset's SQL with its parameters (so the partnership it is limited to), the empty label,
the field's name, its attributes and the selected value. Saving or deleting a row of the model, or of a model it
depends on, forgets every such select at once. Labels must come from the row itself (``name``): a label read
through a relation would not be forgotten when that relation changes.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.core.exceptions import EmptyResultSet
from django.db.models import Model
from django.utils.safestring import SafeString, mark_safe

from . import caching

_registered: set[str] = set()


def _namespace(model: type[Model]) -> str:
    return f"choices:{model._meta.label_lower}"


def register(model: type[Model], *depends_on: type[Model]) -> None:
    """Selects of ``model`` may be cached: every save or delete of one of its rows forgets them, and of a row of
    ``depends_on``, the models its selects' querysets filter by (a funder is an organisation with arrangements; a
    partnership's organisations are its members: ``Partnership.organisations.through``). Each app registers the
    models its own selects depend on."""
    namespace = caching.namespace(_namespace(model))
    _registered.add(namespace)
    caching.forget_when_changed(namespace, model, *depends_on)


class CachedOptionsSelect(forms.Select):
    """A ModelChoiceField's select, rendered from the cache when its model is registered (else as Django does)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        queryset = getattr(self.choices, "queryset", None)
        namespace = _namespace(queryset.model) if queryset is not None else None
        if queryset is None or namespace not in _registered:
            return super().render(name, value, attrs, renderer)
        try:
            sql = str(queryset.query)
        except EmptyResultSet:
            return super().render(name, value, attrs, renderer)
        field = getattr(self.choices, "field", None)
        key = repr(
            (sql, name, getattr(field, "empty_label", None), sorted((attrs or {}).items()), sorted(self.attrs.items()))
        ) + repr(self.format_value(value))
        parts = [hashlib.sha256(key.encode()).hexdigest()[:40]]
        html = caching.cached(
            namespace, parts, lambda: str(super(CachedOptionsSelect, self).render(name, value, attrs, renderer))
        )
        return mark_safe(html)  # noqa: S308  # nosec B308, B703 - Django's own rendering, kept as it was written
