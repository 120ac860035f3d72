"""The domain errors of the reviews app's services: each is a refusal whose str() is the
message for the person, which the view shows."""

from django.utils.translation import gettext_lazy as _


class ReturnRefused(Exception):
    """A refused change to a return; str() is the message for the person."""

    message = _("This change to the return is not allowed.")

    def __init__(self, message=None):
        super().__init__(message or self.message)


class ReturnNotAllowed(ReturnRefused):
    pass


class ReturnLocked(ReturnRefused):
    message = _("This return is accepted: it is read-only until a reviewer returns it.")


class YearLocked(ReturnRefused):
    """The year's lock date has passed, and no exception opens it for this enterprise."""

    message = _(
        "The year's returns are locked: they can no longer be created or changed. "
        "A reviewer can open an exception."
    )


class DuplicateReturn(ReturnRefused):
    message = _(
        "This enterprise already has a return for this year: someone created it meanwhile. "
        "Reload the page to see it."
    )


class ExplanationRequired(ReturnRefused):
    message = _("The figures raise warnings: save them with an explanation.")

    def __init__(self, warnings: list[str]):
        super().__init__()
        self.warnings = warnings
