import io
import math
import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp.qr import write_qrcode_image

from . import selectors, services
from .forms import TokenForm
from .roles import is_administrator


@login_not_required
@never_cache
@transaction.non_atomic_requests
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not; for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and tools ask for without reading the pages' icon link."""
    return redirect(static("img/favicon.ico"))


def server_error(request: HttpRequest) -> HttpResponse:
    """Our 500 page; a lost database connection gets the friendlier 503 page. Renders without
    a request context so that it needs no database."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice with the user's account."""
    response = i18n.set_language(request)
    if request.user.is_authenticated:
        services.remember_language(user=request.user, language=request.POST.get("language", ""))
    return response


class LoginView(auth_views.LoginView):
    """Logs in and brings back the language the user chose on another browser."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = selectors.preferred_language(user=form.get_user())
        if language:
            _set_language_cookie(response, language)
        return response


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return settings.LOGIN_REDIRECT_URL


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Shows a new secret (QR code and key) and confirms it with a first code."""
    if selectors.has_two_factor_device(user=request.user):
        messages.info(request, _("Two-factor login is already set up for your account."))
        return redirect(_next_url(request))
    device = services.pending_totp_device(user=request.user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        wait = selectors.two_factor_wait(devices=[device])
        if not wait and services.confirm_totp_device(
            device=device, token=form.cleaned_data["token"]
        ):
            otp_login(request, device)
            messages.success(request, _("Two-factor login is set up. Keep your phone safe."))
            return redirect(_next_url(request))
        form.add_error("token", _refused_code(wait))
    qr_svg = io.BytesIO()
    write_qrcode_image(device.config_url, qr_svg)
    context = {
        "form": form,
        "qr_svg": mark_safe(qr_svg.getvalue().decode()),  # our own SVG, made from our own data
        "secret": device.config_url.split("secret=")[1].split("&")[0],
        "required": selectors.two_factor_required(user=request.user),
        "next": _next_url(request),
    }
    return render(request, "registration/two_factor_setup.html", context)


def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: the code from the authenticator app."""
    form = TokenForm(request.POST or None)
    if form.is_valid():
        wait = selectors.two_factor_wait(devices=selectors.confirmed_devices(user=request.user))
        device = (
            None
            if wait
            else services.device_for_token(user=request.user, token=form.cleaned_data["token"])
        )
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _refused_code(wait))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


def _refused_code(wait: int) -> str:
    """Why a code was refused: wrong, or typed while the account must wait `wait` seconds
    after wrong ones (then it was not checked)."""
    if not wait:
        return _("This code is not right. Check the time on your phone.")
    if wait < 60:
        duration = ngettext("%(count)d second", "%(count)d seconds", wait) % {"count": wait}
    else:
        minutes = math.ceil(wait / 60)
        duration = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return _(
        "Too many wrong codes: this account must wait %(duration)s before a code is checked "
        "again, even a right one."
    ) % {"duration": duration}


# Programmes


@require_GET
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A programme's bodies, content areas with their tasks, and indicators with targets."""
    page = selectors.programme_page(pk)
    context = {
        "page": page,
        "programme": page.programme,
        "can_administer": is_administrator(request.user),
    }
    return render(request, "coordination/programme_detail.html", context)
