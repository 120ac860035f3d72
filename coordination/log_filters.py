"""Filters for the console log (settings.LOGGING)."""

import logging


class RefusalsInOneLine(logging.Filter):
    """A refused request (403: PermissionDenied, a CSRF failure) is routine, not a fault: log
    its one line (`Forbidden (Permission denied): /path`) without the traceback Django adds."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
