"""Read whatever an officer's scanner, camera or keyboard produced into GTIN, lot, serial, dates and problems.

biip does the GS1 work (AI table and patterns, check digits, dates, prefixes, Digital Link both ways); this module
is the glue around it: it cleans what keyboard-wedge scanners and phones add, decides which reading of an ambiguous
payload to trust, and, when biip refuses a payload, walks it element by element to say precisely what is wrong,
so the officer can be told more than "invalid". ``parse_code`` never raises on user input.
"""

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cache
from urllib.parse import parse_qsl, unquote, urlsplit

from biip import ParseConfig, ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString, GS1ElementStrings
from biip.gs1_messages import GS1Message
from biip.gtin import Gtin
from biip.rcn import Rcn
from biip.symbology import GS1Symbology, ISOSymbology, SymbologyIdentifier
from biip.upc import Upc

from ipm.gs1 import problems as p
from ipm.gs1.problems import CodeProblem, problem

logger = logging.getLogger(__name__)

MAX_CODE_LENGTH = 512

GS = "\x1d"

# Forms (``ParsedCode.form``).
GTIN = "gtin"
ELEMENT_STRING = "element_string"
DIGITAL_LINK = "digital_link"
URL = "url"
TEXT = "text"
INVALID = "invalid"

# Dates are checked by us, element by element, so that one bad date does not hide the rest of the code.
_CONFIG = ParseConfig(gs1_element_strings_verify_date=False)
# AIs holding a plain YYMMDD (or YYMMDDhhmm) date: biip leaves ``date`` unset when the value is not a real date.
_DATE_AIS = frozenset({"11", "12", "13", "15", "16", "17", "7003", "7006"})
_GTIN_AIS = ("01", "03", "02")  # in order of preference for "the" GTIN of a code
_FIRST_CLASS_AIS = frozenset({"10", "21", "11", "15", "17"})
# AIs that carry a serial or a lot only make sense with one of these (GS1 General Specifications, 4.13).
_SERIAL_PARTNERS = frozenset({"01", "03", "8006"})
_LOT_PARTNERS = frozenset({"01", "02", "03", "8006", "8026"})
# GS1 Digital Link primary keys (Digital Link standard, URI syntax): a code holds at most one.
_DIGITAL_LINK_KEYS = frozenset(
    ("00", "01", "253", "255", "401", "402", "414", "415", "417")
    + ("8003", "8004", "8006", "8010", "8013", "8017", "8018")
)
# Short names from Digital Link 1.0/1.1, still printed on packs made before 1.2 deprecated them.
_DIGITAL_LINK_ALIASES = {"gtin": "01", "cpv": "22", "lot": "10", "ser": "21"}
# AIs that, found inside the value of a variable-length field, suggest a lost separator (see _missing_separator).
_LIKELY_FOLLOWERS = ("10", "11", "13", "15", "16", "17", "21", "22", "30", "37", "240", "241", "7003")

_SYMBOLOGY_NAMES = {
    "]E0": "EAN-13 / UPC-A / UPC-E",
    "]E1": "EAN two-digit add-on",
    "]E2": "EAN five-digit add-on",
    "]E3": "EAN/UPC with add-on",
    "]E4": "EAN-8",
    "]I0": "Interleaved 2 of 5",
    "]I1": "ITF-14",
    "]C0": "Code 128",
    "]C1": "GS1-128",
    "]e0": "GS1 DataBar",
    "]e1": "GS1 Composite",
    "]e2": "GS1 Composite",
    "]d1": "Data Matrix",
    "]d2": "GS1 DataMatrix",
    "]Q1": "QR Code",
    "]Q3": "GS1 QR Code",
    "]J1": "GS1 DotCode",
}
_GS1_MESSAGE_SYMBOLOGIES = GS1Symbology.with_gs1_messages() | {
    GS1Symbology.GS1_COMPOSITE_WITH_SEPARATOR_CHAR,
    GS1Symbology.GS1_COMPOSITE_WITH_ESCAPE_CHAR,
}

# Scanners that cannot type the invisible GS (0x1D) through a keyboard wedge are configured to send a visible
# stand-in, and people paste codes copied from logs and documentation. None of these can occur inside GS1 data
# (GS1 character set 82 has no ``[ ] { } \`` and no U+241D), except ``<GS>``: "<", "G", "S", ">" are each allowed,
# but the four in a row inside a lot or serial is far less likely than a scanner's "<GS>" substitution.
_GS_STAND_INS = re.compile(r"<GS>|\{GS\}|\[GS\]|\\x1d|\\u001d|\u241d|\[FNC1\]|<FNC1>", re.IGNORECASE)
# ISO/IEC 15434 envelope, format 05 = GS1 AI syntax: "[)>" RS "05" GS … RS EOT.
_ISO_15434_GS1 = re.compile(r"^\[\)>\x1e05\x1d(.*?)(?:\x1e\x04?)?$", re.DOTALL)
# Control characters other than tab, newline, carriage return and GS; lone surrogates; the replacement character
# left by a failed decoding; non-characters.
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1c\x1e-\x1f\x7f-\x9f\ud800-\udfff\ufffd\ufffe\uffff]")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_STARTS_WITH_KEY = re.compile(r"0[0-3]\d{6}")
_SPACED_DIGITS = re.compile(r"\d[\d \-]*\d")
_HRI_AI = re.compile(r"\((\d{2,4})\)")
# GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1).
_CHARACTER_SET_82 = re.compile(r'[!"%-?A-Z_a-z]*')
_CHARACTER_SET_64 = re.compile(r"[A-Za-z0-9_=\-]*")
_FORMAT_PART = re.compile(r"([NXYZ])(\.\.)?(\d+)")
# The number row of French and Belgian AZERTY keyboards, unshifted: 1234567890 (Belgian: 6 is §, 8 is !).
_AZERTY_TABLE = str.maketrans({**dict(zip("&é\"'(-è_çà", "1234567890", strict=True)), "§": "6", "!": "8"})
_AZERTY_DIGITS = "&é\"'(-è_çà§!"
# Invisible characters some phones and keyboards add at the ends of pasted text.
_EDGE_NOISE = " \t\r\n\v\f\x1d\u00a0\u200b\u200c\u200d\u2060\ufeff\u3000"


@dataclass(frozen=True)
class AiValue:
    """A GS1 element string that has no field of its own in ``ParsedCode``; ``title`` is GS1's (English) name."""

    ai: str
    title: str
    value: str
    data_title: str = ""
    date: dt.date | None = None

    def to_dict(self) -> dict:
        return {
            "ai": self.ai,
            "title": self.title,
            "data_title": self.data_title,
            "value": self.value,
            "date": self.date.isoformat() if self.date else None,
        }


@dataclass(frozen=True)
class ParsedCode:
    """What a scanned or typed code says. See ``docs/scanning.md`` ("What the parser accepts")."""

    raw: str
    form: str
    symbology: str | None = None
    symbology_name: str | None = None
    gtin: str | None = None
    gtin_as_printed: str | None = None
    gtin_format: str | None = None  # "GTIN-8", "GTIN-12", "GTIN-13", "GTIN-14" or "UPC-E"
    add_on: str | None = None  # the 2- or 5-digit EAN add-on of books and periodicals
    lot: str | None = None
    serial: str | None = None
    expiry_date: dt.date | None = None
    best_before_date: dt.date | None = None
    production_date: dt.date | None = None
    other_ais: list[AiValue] = field(default_factory=list)
    gs1_prefix: str | None = None
    gs1_member_organisation: str | None = None
    gs1_prefix_usage: str | None = None
    company_prefix: str | None = None
    url: str | None = None
    digital_link_uri: str | None = None
    element_string: str | None = None  # the GS1 data in bracketed form, as printed under a GS1 barcode
    problems: list[CodeProblem] = field(default_factory=list)
    warnings: list[CodeProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.gtin is not None and not self.problems

    def to_dict(self) -> dict:
        def iso(day):
            return day.isoformat() if day else None

        return {
            "raw": _json_safe(self.raw),
            "form": self.form,
            "ok": self.ok,
            "symbology": self.symbology,
            "symbology_name": self.symbology_name,
            "gtin": self.gtin,
            "gtin_as_printed": self.gtin_as_printed,
            "gtin_format": self.gtin_format,
            "add_on": self.add_on,
            "lot": self.lot,
            "serial": self.serial,
            "expiry_date": iso(self.expiry_date),
            "best_before_date": iso(self.best_before_date),
            "production_date": iso(self.production_date),
            "other_ais": [ai.to_dict() for ai in self.other_ais],
            "gs1_prefix": self.gs1_prefix,
            "gs1_member_organisation": self.gs1_member_organisation,
            "gs1_prefix_usage": self.gs1_prefix_usage,
            "company_prefix": self.company_prefix,
            "url": _json_safe(self.url),
            "digital_link_uri": self.digital_link_uri,
            "element_string": self.element_string,
            "problems": [item.to_dict() for item in self.problems],
            "warnings": [item.to_dict() for item in self.warnings],
        }


def _json_safe(text: str | None) -> str | None:
    """Lone surrogates (from a broken decoding upstream) cannot be encoded as UTF-8 JSON."""
    if text is None or text.isascii():
        return text
    return text.encode("utf-8", "replace").decode("utf-8")


def parse_code(raw: str) -> ParsedCode:
    """Parse one scanned or typed payload. Pure and fast; never raises on user input."""
    if isinstance(raw, bytes | bytearray):
        raw = bytes(raw).decode("utf-8", "replace")
    elif not isinstance(raw, str):
        raw = "" if raw is None else str(raw)
    try:
        return _parse(raw)
    except Exception:
        # A bug here (ours or biip's) must not cost the officer the scan page: report it as unreadable.
        logger.exception("Unexpected failure while parsing a scanned code")
        return ParsedCode(raw=raw, form=INVALID, problems=[problem(p.UNPARSEABLE)])


# --- Cleaning and dispatch --------------------------------------------------------------------------------------


@cache
def _digit_table() -> dict[int, str]:
    """Every Unicode decimal digit (Arabic-Indic, Devanagari, full-width…) to its ASCII digit, plus the other
    full-width ASCII forms an East Asian input method produces, so a code typed on any keyboard reads the same."""
    table = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    for cp in range(0x80, 0x10000):
        char = chr(cp)
        if unicodedata.category(char) == "Nd":
            table[cp] = str(unicodedata.decimal(char))
    table[0x3000] = " "
    return table


def _parse(raw: str) -> ParsedCode:
    if len(raw) > MAX_CODE_LENGTH:
        return ParsedCode(raw=raw, form=INVALID, problems=[problem(p.TOO_LONG, length=len(raw), limit=MAX_CODE_LENGTH)])
    text = raw.strip(_EDGE_NOISE)
    if not text.isascii():
        text = text.translate(_digit_table()).strip(_EDGE_NOISE)
    if not text:
        return ParsedCode(raw=raw, form=INVALID, problems=[problem(p.EMPTY)])

    base = {"raw": raw}
    symbology = None
    if text.startswith("]") and len(text) >= 3:
        symbology = _symbology(text)
        if symbology is not None:
            base["symbology"] = symbology.value
            base["symbology_name"] = _SYMBOLOGY_NAMES.get(symbology.value) or _iso_name(symbology.iso_symbology)
            text = text[len(symbology.value) :].strip(_EDGE_NOISE)
    envelope = _ISO_15434_GS1.match(text)
    if envelope:
        text = envelope.group(1).strip(_EDGE_NOISE)
    if not text:
        return ParsedCode(**base, form=INVALID, problems=[problem(p.EMPTY)])
    if _BINARY.search(text):
        return ParsedCode(**base, form=INVALID, problems=[problem(p.BINARY)])

    gs1_symbology = symbology.gs1_symbology if symbology else None
    if _URL.match(text):
        return _parse_url(text, base)
    if len(text) in (8, 12, 13, 14) and not text.strip(_AZERTY_DIGITS):
        return _parse_azerty_digits(text, base)
    if text.startswith("("):
        return _parse_bracketed(text, base)
    if text[0].isdigit():
        compact = text
        if not text.isdigit() and _SPACED_DIGITS.fullmatch(text):
            # Digits typed as printed under the bars, "4 006381 333931": a check digit guards the result.
            compact = text.replace(" ", "").replace("-", "")
            if len(compact) not in (8, 12, 13, 14):
                compact = text
        if compact.isdigit() and gs1_symbology not in _GS1_MESSAGE_SYMBOLOGIES:
            bare = _parse_bare_number(compact, gs1_symbology, base)
            if bare is not None:
                return bare
        return _parse_raw(text, gs1_symbology, base)
    if gs1_symbology is not None:
        # The scanner says this is a GS1 symbol, yet it holds neither digits nor a URL.
        return ParsedCode(**base, form=INVALID, problems=[problem(p.UNPARSEABLE)])
    return ParsedCode(**base, form=TEXT)


def _symbology(text: str) -> SymbologyIdentifier | None:
    try:
        return SymbologyIdentifier.extract(text)
    except (ParseError, ValueError, IndexError):
        return None


def _iso_name(iso: ISOSymbology) -> str:
    return iso.name.replace("_", " ").title()


def _parse_azerty_digits(text: str, base: dict) -> ParsedCode:
    """A scanner set up for a US keyboard, typing into a computer with a French or Belgian (AZERTY) layout, sends
    the unshifted number row: 0123456789 arrives as ``à&é"'(-è_ç``. Such a string means nothing else, and the
    check digit guards the result; the warning tells the officer to have the scanner's keyboard layout fixed."""
    digits = text.translate(_AZERTY_TABLE)
    result = _parse_bare_number(digits, None, base)
    if result is None or result.gtin is None:
        return ParsedCode(**base, form=TEXT)
    return replace(result, warnings=[problem(p.KEYBOARD_LAYOUT), *result.warnings])


# --- Bare numbers: EAN-8, EAN-13, UPC-A, UPC-E, GTIN-14 ---------------------------------------------------------


def _parse_bare_number(digits: str, gs1_symbology, base: dict) -> ParsedCode | None:
    """A number alone. ``None`` when it is long enough to be a raw GS1 element string instead."""
    length = len(digits)
    ean_upc = gs1_symbology in (GS1Symbology.EAN_13, GS1Symbology.EAN_13_WITH_ADD_ON)
    if length == 8:
        return _parse_eight_digits(digits, gs1_symbology, base)
    if length in (12, 13, 14):
        printed = digits
        if length == 13 and ean_upc and digits.startswith("0"):
            # Scanners send a UPC-A as 13 digits with a leading 0 under ]E0; the pack shows 12.
            printed = digits[1:]
        return _gtin_result(digits, printed, base)
    if length in (15, 18) and (
        gs1_symbology == GS1Symbology.EAN_13_WITH_ADD_ON or (gs1_symbology is None and _valid_gtin(digits[:13]))
    ):
        result = _gtin_result(digits[:13], digits[:13], base)
        return replace(result, add_on=digits[13:])
    if length in (6, 7) and ean_upc:
        # UPC-E without its number system and/or check digit. Only with the EAN/UPC symbology identifier: any
        # six digits expand to some valid-looking UPC-A, so a typed 6-digit number must not be read this way.
        return _upc_e_result(digits, base)
    if length >= 16 or gs1_symbology is not None and gs1_symbology not in GS1Symbology.with_gtin():
        return None
    return ParsedCode(
        **base,
        form=INVALID,
        problems=[problem(p.BAD_LENGTH, template=p.GTIN_LENGTH_MESSAGE, value=digits, length=length)],
    )


def _valid_gtin(digits: str) -> bool:
    try:
        Gtin.parse(digits, config=_CONFIG)
    except ParseError:
        return False
    return True


def _parse_eight_digits(digits: str, gs1_symbology, base: dict) -> ParsedCode:
    """Eight digits are an EAN-8 or a UPC-E. The symbology identifier decides when there is one; otherwise the
    check digits, and when both readings are valid, the first digit: an EAN-8 starting with 0 is a restricted
    circulation number (in-store use), whereas UPC-E codes start with 0, so UPC-E wins then."""
    if gs1_symbology == GS1Symbology.EAN_8:
        return _gtin_result(digits, digits, base)
    if gs1_symbology in (GS1Symbology.EAN_13, GS1Symbology.EAN_13_WITH_ADD_ON):
        return _upc_e_result(digits, base)
    ean8_ok = _valid_gtin(digits)
    upc_e_ok = digits[0] in "01" and _valid_upc_e(digits)
    if ean8_ok and upc_e_ok:
        chosen_upc_e = digits[0] == "0"
        result = _upc_e_result(digits, base) if chosen_upc_e else _gtin_result(digits, digits, base)
        warning = problem(p.AMBIGUOUS_EIGHT_DIGITS, value=digits, chosen="UPC-E" if chosen_upc_e else "EAN-8")
        # The restricted-circulation warning of the EAN-8 reading would only confuse when UPC-E was chosen.
        return replace(result, warnings=[warning, *result.warnings])
    if upc_e_ok:
        return _upc_e_result(digits, base)
    return _gtin_result(digits, digits, base)


def _valid_upc_e(digits: str) -> bool:
    try:
        Upc.parse(digits)
    except ParseError:
        return False
    return True


def _upc_e_result(digits: str, base: dict) -> ParsedCode:
    try:
        upc = Upc.parse(digits)
    except ParseError:
        return ParsedCode(**base, form=INVALID, problems=[problem(p.BAD_CHECK_DIGIT, value=digits)])
    result = _gtin_result(upc.as_gtin_12(), digits, base)
    return replace(result, gtin_format="UPC-E")


def _gtin_result(digits: str, printed: str, base: dict) -> ParsedCode:
    gtin, gtin_problem = _read_gtin(digits)
    if gtin is None:
        return ParsedCode(**base, form=INVALID, problems=[gtin_problem])
    gtin14 = gtin.as_gtin_14()
    return ParsedCode(
        **base,
        form=GTIN,
        gtin=gtin14,
        gtin_as_printed=printed,
        gtin_format=str(gtin.format),
        digital_link_uri=f"https://id.gs1.org/01/{gtin14}",
        **_prefix_facts(gtin),
        warnings=_gtin_warnings(gtin),
    )


def _read_gtin(digits: str, ai: str | None = None) -> tuple[Gtin | None, CodeProblem | None]:
    if not digits.isdigit() or not digits.isascii():
        return None, problem(p.INVALID_VALUE, ai=ai, template=p.GTIN_DIGITS_MESSAGE, value=digits)
    if len(digits) not in (8, 12, 13, 14):
        return None, problem(p.BAD_LENGTH, ai=ai, template=p.GTIN_LENGTH_MESSAGE, value=digits, length=len(digits))
    if digits.count("0") == len(digits):
        return None, problem(p.INVALID_VALUE, ai=ai, template=p.GTIN_ZEROS_MESSAGE, value=digits)
    try:
        return Gtin.parse(digits, config=_CONFIG), None
    except ParseError:
        return None, problem(p.BAD_CHECK_DIGIT, ai=ai, value=digits)


def _prefix_facts(gtin: Gtin) -> dict:
    prefix = gtin.prefix
    usage = prefix.usage if prefix else None
    organisation = None
    if usage and usage.startswith("GS1 ") and "coupon" not in usage:
        organisation = usage.split(" - ")[0]
    elif usage and usage.startswith("Global Office"):
        organisation = "GS1 Global Office"
    return {
        "gs1_prefix": prefix.value if prefix else None,
        "gs1_prefix_usage": usage,
        "gs1_member_organisation": organisation,
        "company_prefix": gtin.company_prefix.value if gtin.company_prefix else None,
    }


def _gtin_warnings(gtin: Gtin) -> list[CodeProblem]:
    usage = gtin.prefix.usage if gtin.prefix else ""
    value = gtin.value
    if isinstance(gtin, Rcn) or "Restricted Circulation" in usage:
        return [problem(p.RESTRICTED_CIRCULATION, value=value, prefix=gtin.prefix.value if gtin.prefix else "")]
    if "coupon" in usage or "Refund" in usage:
        return [problem(p.NOT_A_TRADE_ITEM, value=value, prefix=gtin.prefix.value, usage=usage)]
    if gtin.prefix is None or usage.startswith(("Unused", "Reserved", "Managed by GS1 Global Office for future")):
        return [problem(p.UNASSIGNED_PREFIX, value=value)]
    return []


# --- GS1 element strings ----------------------------------------------------------------------------------------


@cache
def _application_identifier(code: str) -> GS1ApplicationIdentifier | None:
    """The AI with exactly this number, or None (biip's ``extract`` matches by prefix)."""
    try:
        ai = GS1ApplicationIdentifier.extract(code)
    except ParseError:
        return None
    return ai if ai.ai == code else None


@cache
def _data_length_range(ai: GS1ApplicationIdentifier) -> tuple[int, int]:
    """Shortest and longest data allowed by the AI's format, e.g. "N2+X..20" → (1, 20), "N3+N13[+X..17]" → (13, 30)."""
    shortest = longest = 0
    for optional, part in re.findall(r"(\[?)\+?([NXYZ](?:\.\.)?\d+)", ai.format.split("+", 1)[1]):
        match = _FORMAT_PART.fullmatch(part)
        size = int(match.group(3))
        longest += size
        if not optional:
            shortest += 1 if match.group(2) else size
    return shortest, longest


@cache
def _data_pattern(ai: GS1ApplicationIdentifier) -> re.Pattern:
    return re.compile(ai.pattern.removesuffix("$"))


def _element_problem(ai: GS1ApplicationIdentifier, data: str, *, at_end: bool) -> CodeProblem:
    """Why ``data`` is not a valid value for ``ai``: truncated, wrong date, wrong characters or wrong length."""
    params = {"ai": ai.ai, "title": ai.data_title, "value": data, "format": ai.format}
    shortest, longest = _data_length_range(ai)
    if at_end and len(data) < shortest:
        return problem(p.TRUNCATED, **params)
    if ai.ai in _DATE_AIS and len(data) >= 6 and data[:6].isdigit():
        return problem(p.INVALID_DATE, **params)
    if "Z" in ai.format:
        allowed = _CHARACTER_SET_64.fullmatch(data)
    elif "X" in ai.format or "Y" in ai.format:
        allowed = _CHARACTER_SET_82.fullmatch(data)
    else:
        allowed = data.isdigit()
    if allowed and not shortest <= len(data) <= longest:
        expected = str(longest) if shortest == longest else f"{max(shortest, 1)}–{longest}"
        return problem(p.BAD_LENGTH, length=len(data), expected=expected, **params)
    return problem(p.INVALID_VALUE, **params)


def _parse_bracketed(text: str, base: dict) -> ParsedCode:
    """``(01)09520123456788(17)180426(10)ABC123``: the human-readable form, typed or from a scanner set to it."""
    hri = "".join(text.split())
    markers = list(_HRI_AI.finditer(hri))
    if not markers or markers[0].start() != 0:
        return ParsedCode(**base, form=INVALID, problems=[problem(p.UNPARSEABLE)])
    elements = []
    found = []
    for index, marker in enumerate(markers):
        code = marker.group(1)
        end = markers[index + 1].start() if index + 1 < len(markers) else len(hri)
        data = hri[marker.end() : end]
        ai = _application_identifier(code)
        if ai is None:
            found.append(problem(p.UNKNOWN_AI, ai=code))
            continue
        try:
            elements.append(GS1ElementString.parse(code + data, config=_CONFIG))
        except (ParseError, ValueError, ArithmeticError, LookupError):
            found.append(_element_problem(ai, data, at_end=end == len(hri)))
    return _element_result(elements, found, base, form=ELEMENT_STRING)


def _parse_raw(text: str, gs1_symbology, base: dict) -> ParsedCode:
    """Raw element strings, variable-length fields ended by GS (FNC1): GS1-128, GS1 DataMatrix, GS1 QR content."""
    content = _GS_STAND_INS.sub(GS, text).strip(GS)
    had_separator = GS in content
    try:
        elements = list(GS1Message.parse(content, config=_CONFIG).element_strings)
        found = []
    except (ParseError, ValueError, ArithmeticError, LookupError):
        elements, found = _walk_raw(content)
    # Nearly every GS1 payload starts with a GTIN or an SSCC; anything else must read cleanly to count as GS1.
    looks_gs1 = had_separator or gs1_symbology is not None or _STARTS_WITH_KEY.match(content)
    if not looks_gs1 and (found or not elements or elements[0].ai.separator_required or " " in content):
        # "3M tape", "21 Jump Street": digits first, but nothing says it is GS1 data.
        return ParsedCode(**base, form=TEXT)
    result = _element_result(elements, found, base, form=ELEMENT_STRING)
    if not had_separator and elements and not found:
        warning = _missing_separator(elements[-1])
        if warning:
            result = replace(result, warnings=[*result.warnings, warning])
    return result


def _walk_raw(content: str) -> tuple[list[GS1ElementString], list[CodeProblem]]:
    """Element by element, after biip refused the whole: keep what reads, say exactly what does not. After an
    unreadable element the next one can only be found again at a separator."""
    elements, found = [], []
    rest = content
    while rest:
        segment, _separator, after = rest.partition(GS)
        ai = None
        for length in (2, 3, 4):
            ai = _application_identifier(segment[:length])
            if ai:
                break
        if ai is None:
            if segment[:2].isdigit():
                found.append(problem(p.UNKNOWN_AI, ai=segment[:2]))
            else:
                found.append(problem(p.UNPARSEABLE))
            rest = after
            continue
        match = _data_pattern(ai).match(segment)
        if not match:
            found.append(_element_problem(ai, segment[len(ai.ai) :], at_end=not after))
            rest = after
            continue
        try:
            element = GS1ElementString.extract(segment, config=_CONFIG)
        except (ParseError, ValueError, ArithmeticError, LookupError):
            found.append(_element_problem(ai, segment[len(ai.ai) :], at_end=not after))
            rest = after
            continue
        elements.append(element)
        rest = rest[len(element) :].lstrip(GS)
    return elements, found


def _missing_separator(last: GS1ElementString) -> CodeProblem | None:
    """A keyboard-wedge scanner typing into a browser drops the invisible GS. Then a lot followed by a serial
    arrives as one long lot, ``10ABC1232112345``. Nothing in the data tells the two apart, so when the value of
    the trailing variable-length field would also read as further common fields, say so."""
    if not last.ai.separator_required:
        return None
    value = last.value
    for start in range(1, len(value) - 1):
        tail = value[start:]
        if not tail.startswith(_LIKELY_FOLLOWERS):
            continue
        try:
            tail_elements = GS1Message.parse(tail).element_strings
        except (ParseError, ValueError, ArithmeticError, LookupError):
            continue
        if all(element.ai.ai in _LIKELY_FOLLOWERS for element in tail_elements):
            return problem(p.MISSING_SEPARATOR, ai=last.ai.ai, title=last.ai.data_title, value=value)
    return None


def _element_result(
    elements: list[GS1ElementString], found: list[CodeProblem], base: dict, *, form: str, url: str | None = None
) -> ParsedCode:
    """Fill a ParsedCode from element strings and the problems met while reading them."""
    problems = list(found)
    warnings: list[CodeProblem] = []
    fields: dict = {}
    other_ais = []
    by_ai: dict[str, GS1ElementString] = {}
    for element in elements:
        code = element.ai.ai
        previous = by_ai.get(code)
        if previous is not None:
            if previous.value != element.value:
                problems.append(problem(p.DUPLICATE_AI, ai=code, title=element.ai.data_title))
            continue
        by_ai[code] = element
        params = {"ai": code, "title": element.ai.data_title, "value": element.value, "format": element.ai.format}
        if code in _DATE_AIS and element.date is None:
            problems.append(problem(p.INVALID_DATE, **params))
        elif element.gtin_error:
            problems.append(_read_gtin(element.value, ai=code)[1] or problem(p.BAD_CHECK_DIGIT, **params))
        elif element.sscc_error or element.gln_error:
            problems.append(problem(p.BAD_CHECK_DIGIT, **params))

    # The first GTIN AI present decides: a (01) with a wrong check digit must not let a (02) stand in for it.
    gtin_element = next((by_ai[ai] for ai in _GTIN_AIS if ai in by_ai), None)
    if gtin_element is not None and gtin_element.gtin is None:
        gtin_element = None
    if gtin_element is not None:
        gtin = gtin_element.gtin
        if gtin_element.value.count("0") == 14:  # biip accepts 00000000000000: its check digit is right
            problems.append(_read_gtin(gtin_element.value, ai=gtin_element.ai.ai)[1])
        else:
            fields.update(
                gtin=gtin.as_gtin_14(),
                gtin_as_printed=_natural_gtin(gtin),
                gtin_format=str(gtin.format),
                **_prefix_facts(gtin),
            )
            warnings.extend(_gtin_warnings(gtin))
            if gtin_element.ai.ai == "02":
                warnings.append(problem(p.CONTAINED_ITEMS_GTIN))
    for code, element in by_ai.items():
        if element is gtin_element or code == "01" or code in _FIRST_CLASS_AIS:
            continue
        other_ais.append(
            AiValue(
                ai=code,
                title=element.ai.description,
                value=element.value,
                data_title=element.ai.data_title,
                date=element.date,
            )
        )

    if "10" in by_ai:
        fields["lot"] = by_ai["10"].value
    if "21" in by_ai:
        fields["serial"] = by_ai["21"].value
    expiry = by_ai.get("17") or by_ai.get("7003")
    fields["expiry_date"] = expiry.date if expiry else None
    fields["best_before_date"] = by_ai["15"].date if "15" in by_ai else None
    fields["production_date"] = by_ai["11"].date if "11" in by_ai else None
    if "21" in by_ai and not _SERIAL_PARTNERS & by_ai.keys():
        problems.append(problem(p.SERIAL_WITHOUT_GTIN, ai="21"))
    if "10" in by_ai and not _LOT_PARTNERS & by_ai.keys():
        problems.append(problem(p.LOT_WITHOUT_GTIN, ai="10"))
    if elements and not any(ai in by_ai for ai in _GTIN_AIS) and not problems:
        warnings.append(problem(p.NO_GTIN))
    if elements:
        fields["element_string"] = "".join(element.as_hri() for element in by_ai.values())
    if fields.get("gtin") and gtin_element.ai.ai == "01":
        fields["digital_link_uri"] = _canonical_digital_link(list(by_ai.values()))
    if not elements and not problems:
        problems.append(problem(p.UNPARSEABLE))
    return ParsedCode(
        **base,
        form=INVALID if problems else form,
        url=url,
        other_ais=other_ais,
        problems=problems,
        warnings=warnings,
        **fields,
    )


def _natural_gtin(gtin: Gtin) -> str:
    """A GTIN-14 from AI (01) in the length it has on a retail barcode: 09520123456788 → 9520123456788."""
    return gtin.as_gtin_14()[14 - int(gtin.format) :]


def _canonical_digital_link(elements: list[GS1ElementString]) -> str:
    """Only the GTIN, its qualifiers and data attributes: other primary keys (an SSCC next to a GTIN on a
    logistic label) have no place in a GTIN's Digital Link."""
    kept = GS1ElementStrings(
        element for element in elements if element.ai.ai == "01" or element.ai.ai not in _DIGITAL_LINK_KEYS
    )
    return GS1DigitalLinkURI.from_element_strings(kept).value  # built on id.gs1.org: the canonical URI


# --- URLs and GS1 Digital Link ----------------------------------------------------------------------------------


def _parse_url(text: str, base: dict) -> ParsedCode:
    try:
        parts = urlsplit(text)
    except ValueError:
        return ParsedCode(**base, form=TEXT)
    if parts.scheme.lower() not in ("http", "https"):
        return ParsedCode(**base, form=URL, url=text)
    segments = parts.path.rstrip("/").split("/")
    key_index = _digital_link_key_index(segments)
    if key_index is None:
        return ParsedCode(**base, form=URL, url=text)
    path = [_DIGITAL_LINK_ALIASES.get(segment, segment) for segment in segments[key_index:]]
    normalised = f"https://{parts.netloc}/{'/'.join(path)}" + (f"?{parts.query}" if parts.query else "")
    found: list[CodeProblem] = []
    try:
        elements = list(GS1DigitalLinkURI.parse(normalised, config=_CONFIG).element_strings)
    except (ParseError, ValueError, ArithmeticError, LookupError):
        if path[0] != "01":
            return ParsedCode(**base, form=URL, url=text)
        elements, found = _walk_digital_link(path, parts.query)
    return _element_result(elements, found, base, form=DIGITAL_LINK, url=text)


def _digital_link_key_index(segments: list[str]) -> int | None:
    """Where the primary key starts: /01/ followed by a GTIN (zero-suppressed allowed), or another GS1 key.
    A date in a blog's path (/2024/01/15/) is not a Digital Link."""
    for index, segment in enumerate(segments[:-1]):
        key = _DIGITAL_LINK_ALIASES.get(segment, segment)
        if key == "01":
            value = unquote(segments[index + 1])
            if value.isdigit() and 8 <= len(value) <= 14:
                return index
        elif key in _DIGITAL_LINK_KEYS and segments[index + 1]:
            return index
    return None


def _walk_digital_link(path: list[str], query: str) -> tuple[list[GS1ElementString], list[CodeProblem]]:
    """Each path pair and AI query parameter on its own, after biip refused the URI. Qualifiers out of the
    standard's order are accepted: the meaning is still unambiguous."""
    pairs = [(path[index], unquote(path[index + 1])) for index in range(0, len(path) - 1, 2)]
    found: list[CodeProblem] = []
    if len(path) % 2:
        ai = _application_identifier(path[-1])
        if ai is not None:
            found.append(problem(p.TRUNCATED, ai=ai.ai, title=ai.data_title, value="", format=ai.format))
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key.isdigit() and _application_identifier(key):
            pairs.append((key, value))
    elements = []
    for code, value in pairs:
        ai = _application_identifier(code)
        if ai is None:
            found.append(problem(p.UNKNOWN_AI, ai=code))
            continue
        data = value.zfill(14) if code == "01" and value.isdigit() else value
        try:
            elements.append(GS1ElementString.parse(code + data, config=_CONFIG))
        except (ParseError, ValueError, ArithmeticError, LookupError):
            found.append(_element_problem(ai, value, at_end=False))
    return elements, found
