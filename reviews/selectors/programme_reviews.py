"""Reads of programme reviews and of what their printed report shows."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import ngettext

from coordination.cache import NOTHING_SCOPED, Covers
from coordination.models import Body, Programme
from coordination.versioning import opened_record

from ..models import ProgrammeReview, ReviewSection, ReviewSignature
from .assessment import (
    assessment,
    assessment_covers,
    assessment_key,
    cached_assessment,
)
from .dashboard import largest_zones
from .figures import BREAKDOWN_COUNTS, share
from .programme_results import (
    cached_programme_results,
    programme_results,
    programme_results_covers,
)


def programme_reviews(programme: Programme | None):
    """Reviews, latest held first, narrowed to one programme where given."""
    reviews = ProgrammeReview.objects.select_related("programme")
    return reviews.filter(programme=programme) if programme is not None else reviews


def review_as_opened(*, review: ProgrammeReview, version: int) -> tuple:
    """The review (a history row), its sections and its signatures (by pk) as they stood at
    `version`, for a refused stale save; the sections and signatures are saved just after
    the review's row. (None, {}, {}) where the history ends earlier."""
    opened, saved_next = opened_record(review, version=version)
    if opened is None:
        return None, {}, {}
    return (
        opened,
        {row.pk: row for row in ReviewSection.history.as_of(saved_next).filter(review=review)},
        {row.pk: row for row in ReviewSignature.history.as_of(saved_next).filter(review=review)},
    )


def review_issuers(*, review: ProgrammeReview) -> list[dict]:
    """The issuing bodies of a review's report, in signature order (the leading one first), as
    they were on the document's date (a body succeeded by then issues as its successor), as
    plain data: a final review keeps them in its frozen figures, so that renaming a body later
    does not change a report already filed."""
    day = review.held_on or timezone.localdate()
    signatures = review.signatures.select_related("body").order_by("position")
    issuers = []
    for signature in signatures:
        body = signature.body.as_of(day)
        issuers.append(
            {
                "name": body.name,
                "symbol": body.symbol,
                "document_style": body.document_style,
                "parent": {"name": body.parent.name} if body.parent_id else None,
            }
        )
    return issuers


REPORT_ZONES = 30
"""Zone rows a printed report lists one by one: a province's zones fit, while the 300 parks of a
national report would take 20 pages (and most of the PDF's time); the review's zone table
export holds them all."""


PROGRAMME_ZONES = 15
"""Zones a final review lists year by year: half of REPORT_ZONES, since each takes a row per
year of the programme (the largest part of a national PDF's time); a last row adds up the
others."""


def report_zone_rows(rows: list[dict]) -> list[dict]:
    """The zone breakdown as a report prints it: every zone when they fit in REPORT_ZONES rows,
    else the largest and a last row that adds up the others, so that the table still sums to
    the totals."""
    if len(rows) <= REPORT_ZONES:
        return rows
    ranked = largest_zones(rows, len(rows))
    shown, others = ranked[: REPORT_ZONES - 1], ranked[REPORT_ZONES - 1 :]

    def total(name: str) -> int:
        return sum(row[name] for row in others)

    def total_share(name: str) -> dict:
        return share(
            sum(row[name]["numerator"] for row in others),
            sum(row[name]["denominator"] for row in others),
        )

    label = ngettext("%(count)s other zone", "%(count)s other zones", len(others)) % {
        "count": len(others)
    }
    added_up = {name: total(name) for name in BREAKDOWN_COUNTS}
    coverage = {name: total_share(name) for name in ("party_coverage", "union_coverage")}
    return [*shown, {"key": None, "label": label, **added_up, **coverage}]


def review_for(pk: int) -> ProgrammeReview:
    """Reviews are joint documents of both bodies: everyone logged in may read them (the
    figures of a draft are computed within the viewer's scope)."""
    return get_object_or_404(
        ProgrammeReview.objects.select_related("programme", "finalised_by"), pk=pk
    )


def review_assessment(
    *, review: ProgrammeReview, user, cut_off, preview: bool = False, fresh: bool = False
) -> dict:
    """The figures a review shows, as of its cut-off: the assessment of its year and, for a
    final review (tổng kết), the programme's results year by year. `fresh` computes them
    without the cache (finalising freezes them)."""
    counting = {"programme": review.programme, "user": user, "cut_off": cut_off, "preview": preview}
    year = {"year": review.as_of_year}
    figures = assessment(**counting, **year) if fresh else cached_assessment(**counting, **year)
    if review.kind == ProgrammeReview.Kind.FINAL:
        results = programme_results if fresh else cached_programme_results
        figures = figures | {"programme_results": results(**counting, zone_rows=PROGRAMME_ZONES)}
    return figures


def review_figures_key(review: ProgrammeReview, user, *, preview: bool) -> tuple[str, Covers]:
    """What names a review's figures for the cache (of the documents that show them), and what
    they cover: a final review's are frozen; a draft's are the viewer's scope in the years its
    assessment reads (to its year; a final review's results, to the programme's end), so that
    writes in later years leave a one-year review's documents cached."""
    if review.is_final:
        return f"review:{review.pk}", NOTHING_SCOPED
    programme, year = review.programme, review.as_of_year
    key = assessment_key(
        programme=programme,
        year=year,
        user=user,
        cut_off=review.effective_cut_off(timezone.localdate()),
        preview=preview,
    )
    if review.kind == ProgrammeReview.Kind.FINAL:
        covering = programme_results_covers(programme=programme, user=user)
    else:
        covering = assessment_covers(programme=programme, year=year, user=user)
    return f"{key}:{review.kind}", covering


def _review_figures(review: ProgrammeReview, user, preview: bool) -> dict:
    """A final review's frozen figures; a draft's live figures as the viewer sees them, as of
    its cut-off date (and, in a reviewer's preview, with the submitted returns too)."""
    if review.is_final:
        return review.frozen_figures
    cut_off = review.effective_cut_off(timezone.localdate())
    return review_assessment(review=review, user=user, cut_off=cut_off, preview=preview)


def review_context(review: ProgrammeReview, user, *, preview: bool = False) -> dict:
    """What the review's page and its report show. The issuing bodies are those of the signature
    blocks in position order (frozen with the figures of a final review): the first leads, and
    its document style sets the header and the number."""
    preview = preview and not review.is_final
    figures = _review_figures(review, user, preview)
    issuers = figures.get("issuers") or review_issuers(review=review)
    tasks = {area["content_area_id"]: area for area in figures["tasks"]}
    return {
        "review": review,
        "figures": figures,
        "report_zones": report_zone_rows(figures["breakdowns"]["zone"]),
        "sections": [
            {"section": section, "tasks": tasks.get(section.content_area_id)}
            for section in review.sections.select_related("content_area")
        ],
        "signatures": review.signatures.all(),
        "issuers": issuers,
        "document_style": issuers[0]["document_style"] if issuers else Body.DocumentStyle.PARTY,
        "live_figures": not review.is_final,
    }
