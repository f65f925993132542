from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.models import User

from . import throttle, usernames


class ThrottledLoginMixin:
    """Counts the attempt first, then checks the password only while under the limit."""

    locked_message = "Too many failed attempts for this account from your network. Try again in %(minutes)d minutes."
    retry_after_s = 0

    def clean(self):
        username = (self.cleaned_data.get("username") or "")[:150]
        if username:
            address = throttle.client_address(self.request)
            decision = throttle.login_attempt(username, address)
            if not decision.allowed:
                self.retry_after_s = decision.retry_after_s
                raise forms.ValidationError(
                    self.locked_message, code="locked", params={"minutes": max(1, -(-decision.retry_after_s // 60))}
                )
        cleaned = super().clean()
        if username:
            throttle.login_succeeded(username, address)
        return cleaned

    @property
    def locked(self) -> bool:
        return self.retry_after_s > 0


class ThrottledLoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class SignUpForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)
        help_texts = {"username": "Letters, digits and @ . + - _ only; 150 characters at most."}

    def clean_username(self):
        username = super().clean_username()
        if username and usernames.lookalike_taken(username):
            raise forms.ValidationError(
                "That username looks the same as one that is taken. Choose another.", code="confusable"
            )
        return username
