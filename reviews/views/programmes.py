"""Following an ended programme with a new one."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coordination.models import Programme
from coordination.roles import administrator_required

from ..forms.programmes import FollowProgrammeForm
from ..services.programmes import FollowRefused, follow_programme


@require_http_methods(["GET", "POST"])
@administrator_required
def programme_follow(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_object_or_404(Programme, pk=pk)
    if request.method == "POST":
        form = FollowProgrammeForm(request.POST)
    else:
        form = FollowProgrammeForm(initial=FollowProgrammeForm.initial_for(programme))
    if form.is_bound and form.is_valid():
        try:
            follower = follow_programme(programme=programme, user=request.user, **form.cleaned_data)
        except FollowRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _(
                    "The new programme is made from %(programme)s: check its bodies, content "
                    "areas, indicators and baselines, and set its targets."
                )
                % {"programme": programme},
            )
            return redirect("programme_detail", pk=follower.pk)
    return render(request, "reviews/programme_follow.html", {"programme": programme, "form": form})
