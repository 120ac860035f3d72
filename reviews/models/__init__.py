"""The reviews app's models: annual returns with their ratings, and programme reviews."""

from .cycle import LockException, QualityFlag, ReminderSent, ReportingYear
from .programme_reviews import ProgrammeReview, ReviewSection, ReviewSignature
from .returns import COUNT_FIELDS, MAX_COUNT, PARTS_OF_WHOLES, AnnualReturn, OrganisationRating
from .signed_copies import SignedCopy
from .targets import ZoneTarget
from .totals import EnterpriseCounts, FigureTotals, RatingTotals, TotalsYear

__all__ = [
    "COUNT_FIELDS",
    "MAX_COUNT",
    "PARTS_OF_WHOLES",
    "AnnualReturn",
    "EnterpriseCounts",
    "FigureTotals",
    "LockException",
    "OrganisationRating",
    "ProgrammeReview",
    "QualityFlag",
    "RatingTotals",
    "ReminderSent",
    "ReportingYear",
    "ReviewSection",
    "ReviewSignature",
    "SignedCopy",
    "TotalsYear",
    "ZoneTarget",
]
