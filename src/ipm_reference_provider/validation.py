"""Checks of the values a right holder registers and IPM sends: GTINs (with their check digit), serial and lot
numbers (GS1 application identifiers 21 and 10), expiry dates and ISO 3166-1 country codes.

Each check returns the normalised value or raises ``Invalid`` with a sentence meant for the person who sent it.
"""

import calendar
import datetime
import re
from functools import cache

from babel import Locale
from stdnum import ean
from stdnum.exceptions import ValidationError

# GS1 "character set 82", the characters allowed in AI (21) serial and AI (10) batch/lot values.
_GS1_CSET82 = re.compile(r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}")
# Territories CLDR (through Babel) names that ISO 3166-1 does not assign as countries.
_NOT_ISO_COUNTRIES = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}


class Invalid(ValueError):
    """A value that cannot be registered or read; ``field`` names it in error details."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def gtin(value) -> str:
    """A GTIN-8/12/13/14 with a valid check digit, returned as GTIN-14 (how IPM sends it)."""
    text = str(value or "").strip()
    if not text.isdigit() or len(text) not in (8, 12, 13, 14):
        raise Invalid("gtin", "a GTIN is 8, 12, 13 or 14 digits")
    try:
        ean.validate(text)
    except ValidationError as error:
        raise Invalid("gtin", f"{text} is not a GTIN: its check digit is wrong") from error
    return text.zfill(14)


def serial(value) -> str:
    """A serial number as GS1 AI (21) allows it: 1 to 20 characters of GS1's character set 82."""
    text = str(value or "").strip()
    if not _GS1_CSET82.fullmatch(text):
        raise Invalid("serial", "a serial number is 1 to 20 letters, digits or GS1 punctuation, without spaces")
    return text


def lot(value) -> str:
    """A batch/lot number as GS1 AI (10) allows it, or "" when none is given."""
    text = str(value or "").strip()
    if text and not _GS1_CSET82.fullmatch(text):
        raise Invalid("lot", "a lot number is up to 20 letters, digits or GS1 punctuation, without spaces")
    return text


def expiry(value) -> str:
    """An expiry date as ISO ``YYYY-MM-DD`` (or GS1's ``YYMMDD``, day 00 meaning the month's last day), returned
    in ISO form; "" when none is given."""
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        if re.fullmatch(r"\d{6}", text):
            year, month, day = 2000 + int(text[:2]), int(text[2:4]), int(text[4:])
            if day == 0 and 1 <= month <= 12:
                day = calendar.monthrange(year, month)[1]
            return datetime.date(year, month, day).isoformat()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise Invalid("expiry", "an expiry date is written YYYY-MM-DD (or YYMMDD as in a GS1 code)")


@cache
def iso_countries() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 country codes (from CLDR's territory list, shipped with Babel)."""
    names = Locale("en").territories
    return frozenset(code for code in names if len(code) == 2 and code.isalpha() and code not in _NOT_ISO_COUNTRIES)


def country(value) -> str:
    """An ISO 3166-1 alpha-2 country code, upper-cased."""
    text = str(value or "").strip().upper()
    if text not in iso_countries():
        raise Invalid("country", f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return text
