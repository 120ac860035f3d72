"""Programme reviews: the list, creating, reading, writing and finalising a review."""

import copy

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coordination.query import int_param
from coordination.roles import is_reviewer, reviewer_required
from coordination.selectors import programme_asked
from coordination.versioning import StaleEdit

from ..forms.programme_reviews import ReviewCreateForm, ReviewEdit
from ..forms.signed_copies import SignedCopyForm
from ..selectors.programme_reviews import (
    programme_reviews,
    review_context,
    review_for,
)
from ..services.programme_reviews import (
    DuplicateReview,
    ReviewLocked,
    create_review,
    finalise_review,
    update_review,
)
from .preview import wants_preview


@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """Every programme's reviews, or one programme's (`?programme=`)."""
    programme = programme_asked(int_param(request.GET, "programme"))
    context = {
        "reviews": programme_reviews(programme),
        "programme": programme,
        "can_write": is_reviewer(request.user),
    }
    return render(request, "reviews/review_list.html", context)


@require_http_methods(["GET", "POST"])
@reviewer_required
def review_create(request: HttpRequest) -> HttpResponse:
    form = ReviewCreateForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            review = create_review(user=request.user, **form.cleaned_data)
        except DuplicateReview:
            form.add_error(None, DuplicateReview.message)
        else:
            messages.success(request, _("The review is created: write its sections."))
            return redirect("review_edit", pk=review.pk)
    return render(request, "reviews/review_create.html", {"form": form})


@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = review_for(pk)
    context = review_context(review, request.user, preview=wants_preview(request))
    context["can_write"] = not review.is_final and is_reviewer(request.user)
    context["signed_copies"] = review.signed_copies.select_related("uploaded_by")
    if review.is_final and is_reviewer(request.user):
        context["signed_copy_form"] = SignedCopyForm()
    return render(request, "reviews/review_detail.html", context)


@require_http_methods(["GET", "POST"])
@reviewer_required
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = review_for(pk)
    if review.is_final:
        messages.error(request, ReviewLocked.message)
        return redirect("review_detail", pk=review.pk)
    stored = copy.copy(review)
    edit = ReviewEdit(request.POST if request.method == "POST" else None, review=review)
    conflict = None
    if request.method == "POST" and edit.is_valid():
        try:
            update_review(
                review=edit.form.save(commit=False),
                user=request.user,
                seen_version=edit.form.cleaned_data["seen_version"],
                sections=edit.sections.save(commit=False),
                signatures=edit.signatures.save(commit=False),
            )
        except StaleEdit as stale:
            conflict, edit = edit.refused(stale.current)
        except DuplicateReview:
            edit.form.add_error(None, DuplicateReview.message)
        except ReviewLocked:
            messages.error(request, ReviewLocked.message)
            return redirect("review_detail", pk=review.pk)
        else:
            messages.success(request, _("The review is saved."))
            return redirect("review_detail", pk=review.pk)
    context = {
        "review": stored,
        "form": edit.form,
        "sections": edit.sections,
        "signatures": edit.signatures,
        "conflict": conflict,
    }
    return render(request, "reviews/review_edit.html", context)


@require_http_methods(["GET", "POST"])
@reviewer_required
def review_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm, saying what finalising freezes; POST finalises."""
    review = review_for(pk)
    if request.method == "GET":
        if review.is_final:
            messages.error(request, ReviewLocked.message)
            return redirect("review_detail", pk=review.pk)
        context = review_context(review, request.user)
        return render(request, "reviews/review_finalise.html", context)
    try:
        finalise_review(review=review, user=request.user)
    except ReviewLocked:
        messages.error(request, ReviewLocked.message)
    else:
        messages.success(
            request, _("The review is final: its report now prints the figures of today.")
        )
    return redirect("review_detail", pk=review.pk)
