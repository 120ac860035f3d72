"""The three groups of users and how a view asks which one a user is in."""

from functools import wraps

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

ADMINISTRATORS = "Administrators"
REVIEWERS = "Reviewers"
OFFICIALS = "Officials"
GROUPS = (ADMINISTRATORS, REVIEWERS, OFFICIALS)


def group_names(user: AbstractBaseUser | AnonymousUser) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_group_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._group_names = cached
    return cached


def is_administrator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or ADMINISTRATORS in group_names(user))


def is_reviewer(user) -> bool:
    """Reviewers, and administrators, who may do everything a reviewer may."""
    return is_administrator(user) or REVIEWERS in group_names(user)


def sees_everything(user) -> bool:
    return is_reviewer(user)


def _required(allowed):
    """A view decorator: users for whom `allowed(user)` is false get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


reviewer_required = _required(is_reviewer)
administrator_required = _required(is_administrator)
