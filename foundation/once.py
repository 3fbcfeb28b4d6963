"""One-time form tokens: a double click, a resubmit or five simultaneous posts of one create form make one record.

A create form carries ``OneTimeFormMixin``'s hidden ``form_token``. The view claims it inside the
transaction that makes the record::

    try:
        with transaction.atomic():
            claim = once.claim(request.user, form.cleaned_data.get("form_token"))
            bid = services.bid_create(...)
            once.made(claim, bid.get_absolute_url())
    except once.AlreadySent as exc:
        messages.info(request, str(exc))
        return redirect(exc.url or fallback)

A form posted without a token (a script, a form rendered before this release) is not protected, and is
otherwise handled as before.
"""

import secrets
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db import IntegrityError, transaction

from .forms import OUT_OF_DATE
from .models import FormToken

ALREADY_SENT = "This form was already sent, so nothing was made twice: here is what the first one made."


class AlreadySent(Exception):
    def __init__(self, url: str = "") -> None:
        super().__init__(ALREADY_SENT)
        self.url = url


def new_token() -> str:
    return secrets.token_urlsafe(24)


class OneTimeFormMixin:
    """Adds the hidden ``form_token``: a fresh one on a new form, the posted one when the form is redisplayed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form_token"] = forms.CharField(  # type: ignore[attr-defined]
            widget=forms.HiddenInput,
            required=False,
            max_length=64,
            validators=[RegexValidator(r"^[A-Za-z0-9_-]+$")],
            error_messages={"max_length": OUT_OF_DATE, "invalid": OUT_OF_DATE},
            initial=new_token(),
        )


def claim(user: Any, token: str | None) -> FormToken | None:
    """Claim ``token`` for ``user`` in the caller's transaction; raise AlreadySent if it was claimed before.

    A second post waits on the unique index until the first one's transaction ends: if the first made its
    record, the second is told where it is; if the first failed, the second makes it instead.
    """
    if not token or not getattr(user, "pk", None):
        return None
    try:
        with transaction.atomic():
            return FormToken.objects.create(user=user, token=token)
    except IntegrityError:
        first = FormToken.objects.filter(user=user, token=token).first()
        raise AlreadySent(first.made_url if first else "") from None


def made(claimed: FormToken | None, url: str) -> None:
    if claimed is not None:
        claimed.made_url = url[:500]
        claimed.save(update_fields=["made_url"])
