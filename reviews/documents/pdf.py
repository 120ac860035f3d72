"""The review report as a PDF: the print view's HTML through WeasyPrint, which may read the
site's own static files and nothing else (no file:, no network)."""

import functools
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.templatetags.static import PrefixNode, static
from django.utils.text import slugify

from enterprises.models import fold_for_search

from ..models import ProgrammeReview

logger = logging.getLogger(__name__)


def static_file_for(url: str, *, origin: str) -> Path | None:
    """The file behind a URL of our static files on our origin, or None for anything else."""
    parts, site = urlsplit(url), urlsplit(origin)
    prefix = PrefixNode.handle_simple("STATIC_URL")
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc) or not parts.path.startswith(
        prefix
    ):
        return None
    name = unquote(parts.path.removeprefix(prefix))
    try:
        # Collected files first: in production their names carry the manifest's hashes.
        collected = Path(staticfiles_storage.path(name)) if settings.STATIC_ROOT else None
        if collected is not None and collected.is_file():
            return collected
        found = finders.find(name)
    except SuspiciousFileOperation:
        return None
    return Path(found) if found else None


@functools.cache
def _fetcher_class():
    import weasyprint  # 0.35 s to import: only when a PDF is asked for

    class StaticFilesOnly(weasyprint.URLFetcher):
        def __init__(self, origin: str):
            super().__init__(allowed_protocols=())
            self.origin = origin

        def fetch(self, url, headers=None):
            path = static_file_for(url, origin=self.origin)
            if path is None:
                raise ValueError(f"refused: {url} is not one of the site's static files")
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return weasyprint, StaticFilesOnly


def render_pdf(html: str, *, base_url: str) -> bytes:
    """A PDF of the HTML; base_url is the site's root, against which /static/... resolves."""
    weasyprint, fetcher_class = _fetcher_class()
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher_class(base_url))
    return document.write_pdf()


def warm_up() -> None:
    """Renders a line in the report's stylesheet, as gunicorn starts each worker: the worker's
    first review PDF would otherwise also import WeasyPrint and load its fonts (about 0.5 s of
    a cold PDF). A failure only leaves that cost to the first PDF."""
    origin = "http://127.0.0.1/"
    try:
        html = f'<link rel="stylesheet" href="{static("css/report.css")}"><p>Báo cáo <b>1</b></p>'
        render_pdf(html, base_url=origin)
    except Exception:  # an optimisation: never keep a worker from starting
        logger.warning("The PDF warm-up failed", exc_info=True)


def report_filename(review: ProgrammeReview, extension: str = "pdf") -> str:
    """An ASCII file name that says which report it is, e.g. `review-3-so-ket-01-nam.pdf`."""
    slug = slugify(fold_for_search(review.title))[:60].strip("-")
    return f"review-{review.pk}-{slug}.{extension}"
