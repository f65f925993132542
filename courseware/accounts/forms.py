from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.models import User

from . import throttle


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": "Too many failed attempts for this account from your network. Try again in %(minutes)d minutes.",
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "")[:150]
        address = throttle.client_address(self.request)
        if username and throttle.is_locked(username, address):
            from django.conf import settings

            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": max(1, settings.LOGIN_COOLOFF_SECONDS // 60)},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                throttle.record_failure(username, address)
            raise
        throttle.reset(username, address)
        return cleaned


class SignUpForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)
        help_texts = {"username": "Letters, digits and @ . + - _ only; 150 characters at most."}
