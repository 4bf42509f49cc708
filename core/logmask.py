"""A logging filter that masks every thirteen-digit number (a Thai national ID, typed with or
without dashes or spaces, in Arabic or Thai digits) in log messages and tracebacks.

Logs travel further than the database (files, consoles, e-mails to admins) and are kept by
other rules; an ID that slips into an exception's text must not travel with them. Installed on
the handlers in config/settings.py LOGGING.
"""

from __future__ import annotations

import logging
import re

_DIGIT = r"[0-9\u0e50-\u0e59]"
_THIRTEEN_DIGITS = re.compile(rf"(?<!{_DIGIT}){_DIGIT}(?:[\s\-]?{_DIGIT}){{12}}(?!{_DIGIT})")
_THAI_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def _mask(match: re.Match[str]) -> str:
    digits = re.sub(r"[\s\-]", "", match.group(0)).translate(_THAI_TO_ARABIC)
    return f"{digits[0]}-{digits[1:5]}-xxxxx-xx-{digits[12]}"


def mask_id_numbers(text: str) -> str:
    """Every run of thirteen digits in `text` as `1-2345-xxxxx-xx-3`."""
    return _THIRTEEN_DIGITS.sub(_mask, text)


class MaskIdNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler's own error path
            return True
        record.msg, record.args = mask_id_numbers(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_id_numbers(record.exc_text)
        return True
