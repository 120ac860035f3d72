"""The pages the benchmark measures, as whom, how (under load, one request at a time, a download
or an upload) and against which target."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count

from enterprises.models import Enterprise
from reviews.models import AnnualReturn, ProgrammeReview

from .bulk import BULK_RETURNS
from .personas import Personas
from .results import Target
from .upload import IMPORT_ROWS

LIST = Target(ratio=1 / 10)
DETAIL = Target(ratio=1 / 6)
SUMMARY = Target(ratio=1 / 20)
PDF = Target(seconds=2)
DOCX = Target(seconds=5)  # the Word copy of the review on the national data set
EXPORT = Target(seconds=15, megabytes=300)
IMPORT = Target(seconds=30)
BULK = Target(seconds=5)
NO_TARGET = Target()


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    user: str  # anonymous, reviewer or official
    url_name: str
    args: tuple = ()
    query: str = ""
    kind: str = "throughput"  # throughput, latency, download, upload or bulk
    target: Target = NO_TARGET
    year: int | None = None  # the year whose returns a bulk review accepts


def _review_args(kind: str) -> tuple:
    """The latest review of the kind, a draft where there is one: a draft prints from live
    figures, the costly case."""
    reviews = ProgrammeReview.objects.filter(kind=kind).order_by("-pk")
    review = reviews.filter(status=ProgrammeReview.Status.DRAFT).first() or reviews.first()
    return (review.pk if review else None,)


def pages_to_measure(personas: Personas, years: range, only: frozenset[str]) -> list[Page]:
    """/healthz first (the others are measured against it), then the main pages; with `only`,
    the pages with those keys."""
    last = years[-1]
    enterprise = (
        Enterprise.objects.filter(
            zone__parent=personas.zone,
            returns__year=last,
            returns__status__in=[AnnualReturn.Status.DRAFT, AnnualReturn.Status.RETURNED],
        )
        .annotate(organisation_count=Count("organisations"))
        .order_by("-organisation_count", "pk")
        .first()
    )
    Kind = ProgrammeReview.Kind
    review_args, final_args = _review_args(Kind.ONE_YEAR), _review_args(Kind.FINAL)
    filtered = urlencode(
        {"zone": personas.zone.pk, "ownership": "fdi", "trade_union": "no", "year": last}
    )
    pages = [
        Page("healthz", "/healthz", "anonymous", "healthz"),
        Page("list", "enterprise list, first page", "reviewer", "enterprise_list", target=LIST),
        Page(
            "list-filtered",
            "enterprise list, filtered",
            "reviewer",
            "enterprise_list",
            query=filtered,
            target=LIST,
        ),
        Page(
            "list-deep",
            "enterprise list, sorted deep page",
            "reviewer",
            "enterprise_list",
            query="sort=name&page=500",
            target=LIST,
        ),
        Page(
            "list-search",
            "enterprise list, search without diacritics",
            "reviewer",
            "enterprise_list",
            query="q=dien+tu",
            target=LIST,
        ),
        Page(
            "list-official",
            "enterprise list, an official's zone",
            "official",
            "enterprise_list",
            target=LIST,
        ),
        Page(
            "enterprise",
            "enterprise page",
            "official",
            "enterprise_detail",
            (enterprise.pk,),
            target=DETAIL,
        ),
        Page(
            "return",
            "return form",
            "official",
            "return_edit",
            (enterprise.pk, last),
            target=DETAIL,
        ),
        Page("dashboard", "dashboard", "reviewer", "dashboard", target=SUMMARY),
        Page("dashboard-official", "dashboard", "official", "dashboard", target=SUMMARY),
        Page("gaps", "gap lists", "reviewer", "gaps", target=SUMMARY),
        Page(
            "completeness",
            "returns' completeness by zone and official",
            "reviewer",
            "returns_completeness",
            query=f"year={last}",
            target=SUMMARY,
        ),
        Page(
            "completeness-official",
            "returns' completeness",
            "official",
            "returns_completeness",
            query=f"year={last}",
            target=SUMMARY,
        ),
        Page(
            "report",
            "review print view",
            "reviewer",
            "review_report",
            review_args,
            target=SUMMARY,
        ),
        Page(
            "pdf",
            "review PDF",
            "reviewer",
            "review_report_pdf",
            review_args,
            kind="latency",
            target=PDF,
        ),
        Page(
            "docx",
            "review Word copy",
            "reviewer",
            "review_report_docx",
            review_args,
            kind="latency",
            target=DOCX,
        ),
        Page(
            "final-report",
            "final review print view",
            "reviewer",
            "review_report",
            final_args,
            target=SUMMARY,
        ),
        Page(
            "final-pdf",
            "final review PDF",
            "reviewer",
            "review_report_pdf",
            final_args,
            kind="latency",
            target=PDF,
        ),
        Page(
            "final-docx",
            "final review Word copy",
            "reviewer",
            "review_report_docx",
            final_args,
            kind="latency",
            target=DOCX,
        ),
        Page(
            "export-csv",
            "export of all enterprises, CSV",
            "reviewer",
            "enterprise_list",
            query="_export=csv",
            kind="download",
            target=EXPORT,
        ),
        Page(
            "export-xlsx",
            "export of all enterprises, XLSX",
            "reviewer",
            "enterprise_list",
            query="_export=xlsx",
            kind="download",
            target=EXPORT,
        ),
        Page(
            "import",
            f"import of {IMPORT_ROWS:,} rows (XLSX)",
            "official",
            "enterprise_import",
            kind="upload",
            target=IMPORT,
        ),
        Page(
            "bulk-accept",
            f"bulk accept of all submitted returns of an official's zones (≥ {BULK_RETURNS:,})",
            "reviewer",
            "return_list",
            query=f"year={last}&status=submitted",
            kind="bulk",
            target=BULK,
            year=last,
        ),
    ]
    return [p for p in pages if not only or p.key in only or p.key == "healthz"]
