"""What can be wrong with a scanned code, under stable codes the UI and API clients key on.

The codes never change once published (clients translate or branch on them); the messages are translated lazily,
so one parse can be shown in the language of whoever reads it.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

# Problems: the code cannot be trusted as read. ``ParsedCode.ok`` is false when there is any.
EMPTY = "empty"
TOO_LONG = "too_long"
BINARY = "binary"
BAD_CHECK_DIGIT = "bad_check_digit"
BAD_LENGTH = "bad_length"
UNKNOWN_AI = "unknown_ai"
INVALID_DATE = "invalid_date"
INVALID_VALUE = "invalid_value"
SERIAL_WITHOUT_GTIN = "serial_without_gtin"
LOT_WITHOUT_GTIN = "lot_without_gtin"
TRUNCATED = "truncated"
DUPLICATE_AI = "duplicate_ai"
UNPARSEABLE = "unparseable"

# Warnings: the code was read, but the officer should know something before relying on it.
AMBIGUOUS_EIGHT_DIGITS = "ambiguous_eight_digits"
MISSING_SEPARATOR = "missing_separator"
RESTRICTED_CIRCULATION = "restricted_circulation"
NOT_A_TRADE_ITEM = "not_a_trade_item"
CONTAINED_ITEMS_GTIN = "contained_items_gtin"
NO_GTIN = "no_gtin"
UNASSIGNED_PREFIX = "unassigned_prefix"
KEYBOARD_LAYOUT = "keyboard_layout"

MESSAGES = {
    EMPTY: _("The code is empty: nothing was scanned or typed."),
    TOO_LONG: _("The code is too long (%(length)s characters, at most %(limit)s): it is not a product barcode."),
    BINARY: _("The code holds control characters or binary data: it is not something a product barcode carries."),
    BAD_CHECK_DIGIT: _(
        "The check digit of %(value)s is wrong: the number was misread or mistyped. Scan or type it again; "
        "a printed barcode with a wrong check digit is itself suspicious."
    ),
    BAD_LENGTH: _(
        "The value of (%(ai)s) %(title)s, “%(value)s”, has %(length)s characters: it must have %(expected)s."
    ),
    UNKNOWN_AI: _("(%(ai)s) is not a GS1 Application Identifier: the rest of the code cannot be read."),
    INVALID_DATE: _("(%(ai)s) %(title)s holds “%(value)s”, which is not a valid date (YYMMDD)."),
    INVALID_VALUE: _("The value of (%(ai)s) %(title)s, “%(value)s”, does not match its format %(format)s."),
    SERIAL_WITHOUT_GTIN: _(
        "The code holds a serial number but no GTIN: a serial number identifies an item only together with its "
        "GTIN. Scan the barcode that carries the GTIN."
    ),
    LOT_WITHOUT_GTIN: _(
        "The code holds a batch/lot number but no GTIN: scan the barcode that carries the GTIN as well."
    ),
    TRUNCATED: _("The code ends in the middle of (%(ai)s) %(title)s: part of it is missing. Scan it again."),
    DUPLICATE_AI: _("(%(ai)s) %(title)s appears more than once with different values: the code is inconsistent."),
    UNPARSEABLE: _("The code looks like a GS1 barcode but its structure cannot be read."),
    AMBIGUOUS_EIGHT_DIGITS: _(
        "%(value)s can be read both as an EAN-8 and as a UPC-E; it was read as %(chosen)s. "
        "Check the digits against the pack."
    ),
    MISSING_SEPARATOR: _(
        "The code was received without field separators, so (%(ai)s) %(title)s “%(value)s” may also hold the "
        "fields that followed it. Scan with the camera, or compare with the text printed by the barcode."
    ),
    RESTRICTED_CIRCULATION: _(
        "%(value)s is a restricted circulation number (prefix %(prefix)s): it is assigned for use within one "
        "company or country and does not identify a product worldwide."
    ),
    NOT_A_TRADE_ITEM: _("%(value)s has prefix %(prefix)s (%(usage)s): it does not identify a trade item."),
    CONTAINED_ITEMS_GTIN: _(
        "This is a logistic unit label: the GTIN shown is that of the trade items it contains (AI 02)."
    ),
    NO_GTIN: _("The code holds GS1 data but no GTIN, so no product can be looked up from it."),
    KEYBOARD_LAYOUT: _(
        "The digits arrived as the symbols of a French or Belgian keyboard: the scanner is set up for another "
        "keyboard layout. The code was read, but have the scanner's keyboard setting corrected."
    ),
    UNASSIGNED_PREFIX: _(
        "%(value)s starts with a prefix GS1 has not assigned to any member organisation: genuine GTINs do not."
    ),
}

# Titles for the messages that name a GTIN by its printed shape (not an AI).
GTIN_TITLE = _("GTIN")
GTIN_LENGTH_MESSAGE = _("%(value)s has %(length)s digits: a GTIN has 8, 12, 13 or 14 digits.")
GTIN_DIGITS_MESSAGE = _("“%(value)s” is not a GTIN: a GTIN has only digits.")
GTIN_ZEROS_MESSAGE = _("%(value)s is not a valid GTIN.")


def _render(template, params: dict[str, Any]) -> str:
    return str(template) % params if params else str(template)


_lazy_render = lazy(_render, str)


@dataclass(frozen=True)
class CodeProblem:
    """One thing wrong with (or worth knowing about) a code; ``ai`` names the element it concerns, if any."""

    code: str
    message: str
    ai: str | None = None

    def to_dict(self) -> dict:
        return {"code": self.code, "message": str(self.message), "ai": self.ai}


def problem(code: str, *, ai: str | None = None, template=None, **params: Any) -> CodeProblem:
    """A problem whose message is rendered in the reader's language when it is shown, not when it is found."""
    if ai is not None:
        params["ai"] = ai
    return CodeProblem(code=code, message=_lazy_render(template or MESSAGES[code], params), ai=ai)
