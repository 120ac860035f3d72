"""The fixed parts of a printed review report: its number, its date line, its letterhead's
names, its recipients and its type sizes."""

import datetime

from django import template
from django.utils.safestring import mark_safe

from coordination.models import Body
from reviews.documents.styles import typeset_for

register = template.Library()

DOCUMENT_TYPE = "BC"  # a report (báo cáo); CTr, KH, HD, NQ and TB are the other types
BLANK_NUMBER = "\u00a0" * 6  # left open for the clerk who registers the document


@register.simple_tag
def document_number(number: str, issuers: list[dict], style: str) -> str:
    """The number and symbol after "Số": `01-BC/ĐUK-BQLKKT` in the Party's style (Guidance
    36-HD/VPTW), `01/BC-ĐUK-BQLKKT` in the State's (Decree 30/2020); a joint document joins the
    symbols of its issuing bodies, the leading one first."""
    number = number or BLANK_NUMBER
    joined = "-".join(body["symbol"] for body in issuers if body["symbol"])
    if style == Body.DocumentStyle.STATE:
        return f"{number}/{DOCUMENT_TYPE}-{joined}"
    return f"{number}-{DOCUMENT_TYPE}/{joined}"


@register.simple_tag
def document_date(day: datetime.date) -> dict[str, str]:
    """The parts of a document's date line: days below 10 and the months January and February
    take a leading zero (ngày 05 tháng 01 năm 2024, but ngày 16 tháng 5 năm 2024)."""
    return {
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}" if day.month <= 2 else str(day.month),
        "year": str(day.year),
    }


@register.simple_tag
def report_typeset(document_style: str) -> str:
    """The page margins and type sizes of the leading body's rules, for report.css (numbers
    only, from reviews.documents.styles)."""
    return mark_safe(f"<style>{typeset_for(document_style).css()}</style>")


PLACE_UNITS = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG")
"""The administrative unit before a place name (TỈNH LÀO CAI): printed on the place's line."""


@register.filter
def issuer_name(name: str) -> str:
    """A body's name as the letterhead prints it: in capitals, with its place (the last two
    words, and the unit before them: TỈNH LÀO CAI) held on one line by no-break spaces, so that
    the name breaks between words as on paper, never inside the place (TỈNH LÀO / CAI)."""
    words = name.upper().split()
    if len(words) < 3:
        return " ".join(words)
    kept = 2
    for unit in PLACE_UNITS:
        size = len(unit.split())
        if len(words) > kept + size and " ".join(words[-kept - size : -kept]) == unit:
            kept += size
            break
    head, place = words[:-kept], words[-kept:]
    return " ".join([*head, "\u00a0".join(place)]) if head else "\u00a0".join(place)


@register.filter
def iso_datetime(value: str) -> datetime.datetime | None:
    """A time kept as text (JSON), for the date filter."""
    return datetime.datetime.fromisoformat(value) if value else None


@register.filter
def recipient_lines(text: str) -> list[str]:
    """The recipients, one a line, without the dash that the report prints before each (people
    type it, as in their word processor)."""
    lines = (line.strip().removeprefix("-").strip() for line in (text or "").splitlines())
    return [line for line in lines if line]
