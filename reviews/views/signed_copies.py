"""A final review's signed copy: the upload (reviewers) and the file itself, served only here,
with the review's access rules (never by the static files or the web server)."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from coordination.roles import reviewer_required

from ..forms.signed_copies import SignedCopyForm
from ..selectors.programme_reviews import review_for
from ..services.signed_copies import SignedCopyRefused, upload_signed_copy


@require_POST
@reviewer_required
def signed_copy_upload(request: HttpRequest, pk: int) -> HttpResponse:
    review = review_for(pk)
    form = SignedCopyForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("review_detail", pk=review.pk)
    upload = form.cleaned_data["file"]
    try:
        upload_signed_copy(
            review=review,
            user=request.user,
            name=upload.name,
            data=upload.read(),
            reason=form.cleaned_data["reason"],
        )
    except SignedCopyRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The signed copy is kept with the review."))
    return redirect("review_detail", pk=review.pk)


@require_GET
def signed_copy_file(request: HttpRequest, pk: int, copy_pk: int) -> FileResponse:
    review = review_for(pk)
    copy = get_object_or_404(review.signed_copies, pk=copy_pk)
    try:
        handle = copy.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, content_type="application/pdf", filename=copy.original_name)
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline", 1
    )
    return response
