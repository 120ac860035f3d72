"""The preview that also counts submitted returns: reviewers ask for it with `?preview=submitted`
on the dashboard, a draft review and its report; every page that shows it says so."""

from django.http import HttpRequest

from coordination.roles import is_reviewer

from ..selectors.enterprise_years import PREVIEW


def wants_preview(request: HttpRequest) -> bool:
    return is_reviewer(request.user) and request.GET.get("preview") == PREVIEW
