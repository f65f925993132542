from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from . import throttle
from .forms import SignUpForm, ThrottledLoginForm
from .roles import is_instructor

SIGNUP_LIMITED = "Too many accounts were created from your network in the last hour. Try again in %d minutes."


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        """Without a `next`, instructors land on their dashboard and learners on their home."""
        if is_instructor(self.request.user):
            return reverse("dashboard:index")
        return super().get_default_redirect_url()

    def form_invalid(self, form):
        response = super().form_invalid(form)
        return too_many(response, form.retry_after_s) if form.locked else response


def too_many(response: HttpResponse, retry_after_s: int) -> HttpResponse:
    """A limit reached: 429 with Retry-After, the page (and the learner's input) as it was."""
    response.status_code = 429
    response["Retry-After"] = str(retry_after_s)
    return response


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            decision = throttle.signup_attempt(throttle.client_address(request))
            if not decision.allowed:
                form.add_error(None, SIGNUP_LIMITED % max(1, -(-decision.retry_after_s // 60)))
                response = render(request, "accounts/signup.html", {"form": form, "next": next_url})
                return too_many(response, decision.retry_after_s)
            try:
                with transaction.atomic():
                    user = form.save()
            except IntegrityError:  # the same name was taken a moment ago
                form.add_error("username", "A user with that username already exists.")
            else:
                # login() fires user_logged_in, which carries the visitor's session progress over.
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect(next_url or "home")
    else:
        form = SignUpForm()
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/accounts/password/done/"


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
