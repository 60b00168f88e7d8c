"""What an EPC says about a trade item: its GTIN (as GTIN-14) and, for one item, its serial number, for a lot its
lot number. EPCIS writes the same item two ways and IPM reads both:

* the EPC URN of the GS1 EPC Tag Data Standard: ``urn:epc:id:sgtin:0614141.107346.2017`` (one item),
  ``urn:epc:class:lgtin:4012345.012345.998877`` (a lot), ``urn:epc:idpat:sgtin:4012345.098765.*`` (a product);
* a GS1 Digital Link URI: ``https://id.gs1.org/01/70614141123451/21/2017``, read with the project's own parser
  (``ipm.gs1.parse_code``), so that a Digital Link means the same here as in a scan.

Other EPCs (SSCCs, SGLNs, GRAIs …) identify no trade item and are stored as they are.
"""

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from django.utils.translation import gettext as _
from stdnum import ean

from ipm.gs1 import parse_code

SGTIN = "urn:epc:id:sgtin:"
LGTIN = "urn:epc:class:lgtin:"
SGTIN_PATTERN = "urn:epc:idpat:sgtin:"
MAX_SERIAL = 20  # GS1 AI (21): up to 20 characters
MAX_LOT = 20  # GS1 AI (10)


@dataclass(frozen=True)
class TradeItem:
    gtin: str  # GTIN-14
    serial: str = ""  # one item when set
    lot: str = ""


class NotATradeItem(ValueError):
    pass


@lru_cache(maxsize=4096)
def _gtin(company_prefix: str, item_reference: str) -> str:
    """GTIN-14 from the two digit fields of an SGTIN / LGTIN URN: the indicator digit leads the item reference."""
    if not (company_prefix.isdigit() and item_reference.isdigit()) or len(company_prefix) + len(item_reference) != 13:
        raise NotATradeItem(
            _("The company prefix and the item reference must be digits, 13 in all (with the indicator digit).")
        )
    if not 6 <= len(company_prefix) <= 12:
        raise NotATradeItem(_("A GS1 company prefix in an EPC has 6 to 12 digits."))
    body = item_reference[0] + company_prefix + item_reference[1:]
    return body + ean.calc_check_digit(body)


def _urn_parts(value: str, head: str) -> tuple[str, str, str]:
    parts = value[len(head) :].split(".", 2)
    if len(parts) != 3 or not parts[2]:
        raise NotATradeItem(_("Expected three parts after %(head)s, separated by dots.") % {"head": head})
    return parts[0], parts[1], parts[2]


def _digital_link(value: str) -> TradeItem:
    parsed = parse_code(value)
    if parsed.gtin is None or parsed.problems:
        message = parsed.problems[0].message if parsed.problems else _("It holds no GTIN.")
        raise NotATradeItem(_("Not a valid GS1 Digital Link URI: %(problem)s") % {"problem": message})
    return TradeItem(parsed.gtin, parsed.serial or "", parsed.lot or "")


@lru_cache(maxsize=65536)  # a document is read twice (validated, then stored): parse each EPC once
def trade_item(value: str) -> TradeItem | None:
    """The trade item an EPC names; None for EPCs of other things. Raises ``NotATradeItem`` for an EPC that claims
    to name a trade item but is malformed."""
    if value.startswith(SGTIN):
        prefix, reference, serial = _urn_parts(value, SGTIN)
        serial = unquote(serial)
        if len(serial) > MAX_SERIAL:
            raise NotATradeItem(_("A serial number has at most 20 characters."))
        return TradeItem(_gtin(prefix, reference), serial=serial)
    if value.startswith(LGTIN):
        prefix, reference, lot = _urn_parts(value, LGTIN)
        lot = unquote(lot)
        if len(lot) > MAX_LOT:
            raise NotATradeItem(_("A lot number has at most 20 characters."))
        return TradeItem(_gtin(prefix, reference), lot=lot)
    if value.startswith(SGTIN_PATTERN):
        prefix, reference, star = _urn_parts(value, SGTIN_PATTERN)
        if star != "*":
            raise NotATradeItem(_("An SGTIN pattern ends with “.*”."))
        return TradeItem(_gtin(prefix, reference))
    if value.startswith(("http://", "https://")) and "/01/" in value:
        return _digital_link(value)
    return None


def problem(value: str) -> str | None:
    """Why IPM cannot read this EPC, or None when it can (or when it names no trade item)."""
    try:
        trade_item(value)
    except NotATradeItem as error:
        return _("%(epc)s: %(problem)s") % {"epc": value[:120], "problem": str(error)}
    return None
