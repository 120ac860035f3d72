"""The reviews app's models: annual returns with their ratings, and programme reviews."""

from .programme_reviews import ProgrammeReview, ReviewSection, ReviewSignature
from .returns import COUNT_FIELDS, MAX_COUNT, PARTS_OF_WHOLES, AnnualReturn, OrganisationRating
from .signed_copies import SignedCopy
from .targets import ZoneTarget

__all__ = [
    "COUNT_FIELDS",
    "MAX_COUNT",
    "PARTS_OF_WHOLES",
    "AnnualReturn",
    "OrganisationRating",
    "ProgrammeReview",
    "ReviewSection",
    "ReviewSignature",
    "SignedCopy",
    "ZoneTarget",
]
