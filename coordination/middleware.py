"""Request-wide safety: session timeouts, two-factor login, no caching of people's data."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import selectors
from .roles import group_names

SESSION_STARTED = "_session_started"
SESSION_SEEN = "_session_seen"
# Rewriting the session on every request costs a write; once a minute is precise enough.
SEEN_RESOLUTION_SECONDS = 60
# A user with no second factor who needs none: when that was last checked, and for which groups
# and admin flags.
TWO_FACTOR_CHECKED = "_two_factor_checked"
TWO_FACTOR_RECHECK_SECONDS = 5 * 60


class SessionTimeoutMiddleware:
    """Logs a user out after SESSION_IDLE_TIMEOUT seconds without a request and, whatever they
    do, SESSION_ABSOLUTE_TIMEOUT seconds after logging in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            if (
                now - seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                logout(request)
                messages.info(request, _("Your session has expired. Please log in again."))
                return redirect_to_login(request.get_full_path())
            if now - seen >= SEEN_RESOLUTION_SECONDS or SESSION_SEEN not in request.session:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages shown to a logged-in user hold people's data: no browser or proxy may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


class TwoFactorMiddleware:
    """A user with a TOTP device must enter a code after the password; a user whose group needs
    two factors and has no device yet is sent to set one up. Nothing else is reachable until
    then. The admin site always asks staff for a second factor unless DEBUG is on
    (ADMIN_REQUIRES_TWO_FACTOR), whatever their groups. Checked once the address is resolved:
    the allowed views are known by name, with no reverse() on every request."""

    ALWAYS_ALLOWED = ("two_factor_setup", "two_factor_verify", "logout", "set_language", "healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if (
            not user.is_authenticated
            or user.is_verified()
            or request.resolver_match.view_name in self.ALWAYS_ALLOWED
        ):
            return None
        if (
            settings.ADMIN_REQUIRES_TWO_FACTOR
            and user.is_staff
            and request.resolver_match.namespace == "admin"
        ):
            has_device = selectors.has_two_factor_device(user=user)
            return redirect_with_next(
                "two_factor_verify" if has_device else "two_factor_setup", request
            )
        # Checked again when the groups or the admin flags change, and every few minutes for a
        # device added in another session; not on every request.
        now = int(time.time())
        standing = [sorted(group_names(user)), user.is_superuser, user.is_staff]
        checked_at, checked = request.session.get(TWO_FACTOR_CHECKED, (0, None))
        if checked == standing and now - checked_at < TWO_FACTOR_RECHECK_SECONDS:
            return None
        if selectors.has_two_factor_device(user=user):
            return redirect_with_next("two_factor_verify", request)
        if selectors.two_factor_required(user=user):
            return redirect_with_next("two_factor_setup", request)
        request.session[TWO_FACTOR_CHECKED] = (now, standing)
        return None


def redirect_with_next(name: str, request):
    """To the view, which sends the user back to this page (its query string kept whole)."""
    return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
