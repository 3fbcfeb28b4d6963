"""The sign-in form: the user name is bounded before the throttle (axes) or the database sees it."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    def clean_username(self) -> Any:
        username = self.cleaned_data.get("username") or ""
        limit = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length or 150
        # Refused here, so authenticate() never runs: the throttle's table would fail on a 10,000-character
        # name (its column is 255) and PostgreSQL refuses a NUL character in any text.
        if len(username) > limit:
            raise forms.ValidationError(f"A user name has at most {limit} characters.", code="too_long")
        if "\x00" in username:
            raise forms.ValidationError("A user name cannot contain that character.", code="invalid")
        return username
