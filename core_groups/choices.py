"""Every form choice limited to the partnership (issue 12 item 3).

One rule per model of what a form may offer while a person works in a partnership: its member organisations, its
people, its programmes, core groups and commissions, and each app's models through that app's selectors'
``SCOPE_PATHS`` (read through ``settings.PRODUCT_APPS``, so this layer names no app above it); a model listed in an
app's ``NATIONAL_OR_OWN`` also offers the national rows (partnership NULL). A form mixes in
``PartnershipChoicesMixin`` (a filter set ``PartnershipFilterChoicesMixin``) and every ModelChoiceField and
ModelMultipleChoiceField of it is limited, for display and for validation alike: a posted id of another
partnership's object is "not one of the available choices", beside the field.

The partnership is the one the person works in now (set by the middleware for the request); outside a request
(tasks, tests that build a form by hand) the form may be given ``partnership=`` or is not limited.
"""

from __future__ import annotations

import contextvars
from functools import cache
from importlib import import_module
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Model, Q, QuerySet

from .models import Organisation, Partnership, User

_current: contextvars.ContextVar[Partnership | None] = contextvars.ContextVar("current_partnership", default=None)


def set_current(partnership: Partnership | None) -> contextvars.Token:
    """Called by the middleware for each request; ``reset_current`` with the token when it ends."""
    return _current.set(partnership)


def reset_current(token: contextvars.Token) -> None:
    _current.reset(token)


def current() -> Partnership | None:
    return _current.get()


@cache
def _paths() -> dict[type[Model], tuple[str, bool]]:
    """Model -> (path to its partnership, whether national rows are offered too), from every app's selectors."""
    found: dict[type[Model], tuple[str, bool]] = {}
    for app in settings.PRODUCT_APPS:
        try:
            module = import_module(f"{app}.selectors")
        except ModuleNotFoundError:
            continue
        for model, path in getattr(module, "SCOPE_PATHS", {}).items():
            found[model] = (path, False)
        for model, path in getattr(module, "NATIONAL_OR_OWN", {}).items():
            found[model] = (path, True)
    return found


def people_in(partnership: Partnership) -> QuerySet[User]:
    """The people of a partnership: those holding a role in it and those of its member organisations."""
    return User.objects.filter(
        Q(pk__in=partnership.roles.values("user_id")) | Q(organisation__in=partnership.organisations.all())
    )


def limit(qs: QuerySet, partnership: Partnership) -> QuerySet:
    """``qs`` (the choices of a form field) limited to what belongs to ``partnership``."""
    model = qs.model
    if model is Organisation:
        return qs.filter(pk__in=partnership.organisations.values("pk"))
    if issubclass(model, User):
        return qs.filter(pk__in=people_in(partnership).values("pk"))
    if model is Partnership:
        return qs.filter(pk=partnership.pk)
    rule = _paths().get(model)
    if rule is None:
        return qs
    path, national = rule
    q = Q(**{path: partnership})
    if national:
        q |= Q(**{f"{path}__isnull": True})
    return qs.filter(q)


def limit_form(form: forms.BaseForm, partnership: Partnership | None) -> None:
    """Limit every model choice field of ``form`` to ``partnership`` (nothing to do without one)."""
    if partnership is None:
        return
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
            field.queryset = limit(field.queryset, partnership)


class PartnershipChoicesMixin:
    """For a form: its model choices are those of the request's partnership (or ``choices_partnership``).

    Limited when the form is first validated or a field first rendered, so after the form's own ``__init__`` has
    set its querysets, whatever the order of the classes.
    """

    choices_partnership: Partnership | None = None
    _choices_limited = False

    def _limit_choices(self) -> None:
        if not self._choices_limited:
            self._choices_limited = True
            limit_form(self, self.choices_partnership or current())  # type: ignore[arg-type]

    def full_clean(self) -> None:
        self._limit_choices()
        super().full_clean()  # type: ignore[misc]

    def __getitem__(self, name: str) -> Any:
        self._limit_choices()
        return super().__getitem__(name)  # type: ignore[misc]


class PartnershipFilterChoicesMixin:
    """For a django-filter FilterSet: the choices of its form are those of the request's partnership."""

    @property
    def form(self) -> forms.Form:
        form = super().form  # type: ignore[misc]
        if not getattr(form, "_choices_limited", False):
            limit_form(form, current())
            form._choices_limited = True
        return form
