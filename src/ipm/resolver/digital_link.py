"""Reading the path and query of a GS1 Digital Link request made to IPM's resolver.

The resolver answers for one primary key, the GTIN (AI 01), with its key qualifiers in the order the GS1 Digital
Link URI syntax fixes: ``/01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}]``, or ``/01/{gtin}/235/{tpx}``. Anything
else is refused with a precise reason (resolver standard 2.4.1: a 400). Values are checked against the formats of
their application identifiers as biip knows them (character set 82, lengths, dates); the GTIN's check digit is
verified and a zero-suppressed GTIN (8, 12 or 13 digits) is read as its GTIN-14.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from biip import ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_element_strings import GS1ElementString
from biip.gtin import Gtin
from django.utils.translation import gettext as _

GTIN_AI = "01"
QUALIFIER_ORDER = ("22", "10", "21")  # consumer product variant, batch/lot, serial: each at most once, in order
TPX_AI = "235"  # third-party controlled serialised extension: the GTIN's only qualifier when present
QUALIFIER_NAMES = {"22": "cpv", "10": "lot", "21": "serial", TPX_AI: "tpx"}
PRINTED_GTIN_LENGTHS = {8, 12, 13, 14}
MAX_URI_LENGTH = 2048
# The query-string keywords a GS1-Conformant resolver reads itself (GS1 Digital Link URI syntax 4.10.1).
RESOLVER_KEYWORDS = {"linkType", "context"}
# A compressed GS1 Digital Link URI: one path segment of base64url characters (GS1 Digital Link: Compression).
COMPRESSED_SEGMENT = re.compile(r"^(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{8,}$")


class MalformedDigitalLink(Exception):  # noqa: N818  (a request's fault, answered with a 400)
    """The request is not a valid GS1 Digital Link URI for this resolver. ``code`` is stable, ``message``
    translated into the active language."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class DigitalLinkRequest:
    gtin: str  # GTIN-14
    cpv: str | None = None
    lot: str | None = None
    serial: str | None = None
    tpx: str | None = None
    attributes: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (AI, value) from the query string

    def path(self, *, lot: str | None = None, serial: str | None = None) -> str:
        """The uncompressed, canonical path of this GTIN at one level: ``/01/{gtin}``, ``…/10/{lot}`` or
        ``…/21/{serial}`` (values percent-encoded as the URI syntax requires)."""
        path = f"/01/{self.gtin}"
        if lot is not None:
            path += f"/10/{quote(lot, safe='')}"
        if serial is not None:
            path += f"/21/{quote(serial, safe='')}"
        return path

    @property
    def request_path(self) -> str:
        """The canonical form of the whole request path, qualifiers included in their fixed order."""
        path = f"/01/{self.gtin}"
        for ai, value in (("22", self.cpv), ("10", self.lot), ("21", self.serial), (TPX_AI, self.tpx)):
            if value is not None:
                path += f"/{ai}/{quote(value, safe='')}"
        return path


def path_segments(raw_path: str, *, decoded: bool) -> list[str]:
    """The path's segments after ``/01``…, with one trailing slash tolerated (resolver standard 2.13). When the
    server passes the raw request URI, segments are split before being percent-decoded, so an encoded ``/``
    (``%2F``) stays inside a value."""
    path = raw_path.split("?", 1)[0]
    if path.endswith("/"):
        path = path[:-1]
    segments = path.lstrip("/").split("/")
    return segments if decoded else [unquote(segment) for segment in segments]


def parse_request(segments: list[str], query: str) -> DigitalLinkRequest:
    """Validate ``segments`` (``["01", gtin, ai, value, …]``) and the raw query string. Raises
    ``MalformedDigitalLink``."""
    if len("/".join(segments)) + len(query) > MAX_URI_LENGTH:
        raise MalformedDigitalLink("too_long", _("This address is too long to be a GS1 Digital Link URI."))
    if not segments or segments[0] != GTIN_AI:
        raise MalformedDigitalLink("unsupported_key", _("This resolver answers for GTINs only (/01/…)."))
    if len(segments) % 2:
        raise MalformedDigitalLink(
            "odd_path",
            _("Each key in a GS1 Digital Link path is followed by its value: /01/{gtin}/10/{lot}/21/{serial}."),
        )
    gtin = _gtin(segments[1])
    qualifiers = _qualifiers(list(zip(segments[2::2], segments[3::2], strict=True)))
    attributes = _attributes(query, path_ais={GTIN_AI, *qualifiers})
    return DigitalLinkRequest(
        gtin=gtin,
        **{QUALIFIER_NAMES[ai]: value for ai, value in qualifiers.items()},
        attributes=attributes,
    )


def _gtin(value: str) -> str:
    if not value.isascii() or not value.isdigit() or len(value) not in PRINTED_GTIN_LENGTHS:
        raise MalformedDigitalLink(
            "bad_gtin", _("“%(value)s” is not a GTIN: a GTIN has 8, 12, 13 or 14 digits.") % {"value": value[:40]}
        )
    if set(value) == {"0"}:
        raise MalformedDigitalLink("bad_gtin", _("“%(value)s” is not a valid GTIN.") % {"value": value})
    try:
        return Gtin.parse(value).as_gtin_14()
    except ParseError as error:
        raise MalformedDigitalLink(
            "bad_check_digit", _("“%(value)s” has a wrong check digit: it is not a valid GTIN.") % {"value": value}
        ) from error


def _qualifiers(pairs: list[tuple[str, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    expected = list(QUALIFIER_ORDER)
    for ai, value in pairs:
        if ai == TPX_AI and not pairs[1:] and not found:
            found[ai] = check_qualifier_value(ai, value)
            continue
        if ai not in expected:
            if ai in QUALIFIER_ORDER or ai == TPX_AI:
                message = _(
                    "The key qualifiers of a GTIN come in this order: /22/ (variant), /10/ (batch or lot), /21/ "
                    "(serial number), each at most once; /235/ stands alone."
                )
                raise MalformedDigitalLink("qualifier_order", message)
            raise MalformedDigitalLink(
                "bad_qualifier",
                _("“%(ai)s” is not a key qualifier of a GTIN: use /22/, /10/, /21/ or /235/ in the path.")
                % {"ai": ai[:10]},
            )
        expected = expected[expected.index(ai) + 1 :]
        found[ai] = check_qualifier_value(ai, value)
    return found


def check_qualifier_value(ai: str, value: str) -> str:
    definition = GS1ApplicationIdentifier.extract(ai)
    if not re.fullmatch(definition.pattern, ai + value):
        raise MalformedDigitalLink(
            "bad_value",
            _(
                "“%(value)s” is not a valid %(name)s: at most %(length)s characters among letters, digits and "
                "! \" %% & ' ( ) * + , - . / : ; < = > ? _"
            )
            % {"value": value[:40], "name": _qualifier_name(ai), "length": _max_length(definition)},
        )
    return value


def _qualifier_name(ai: str) -> str:
    return {
        "22": _("consumer product variant"),
        "10": _("batch or lot number"),
        "21": _("serial number"),
        TPX_AI: _("third-party serialised extension"),
    }[ai]


def _max_length(definition: GS1ApplicationIdentifier) -> str:
    match = re.search(r"\{1,(\d+)\}", definition.pattern)
    return match.group(1) if match else "?"


def _attributes(query: str, path_ais: set[str]) -> tuple[tuple[str, str], ...]:
    """Data attributes: query-string keys that are GS1 application identifiers, validated; other keys (the
    resolver's keywords, a campaign's parameters) are passed on untouched. An all-numeric key must be an AI
    (URI syntax 4.10.1: extension keys are never all-numeric)."""
    attributes = []
    for key, value in query_pairs(query):
        if not key.isascii() or not key.isdigit():
            continue
        ai = _application_identifier(key)
        if ai is None:
            raise MalformedDigitalLink(
                "unknown_ai", _("“%(key)s” is not a GS1 application identifier.") % {"key": key[:10]}
            )
        if key in path_ais:
            raise MalformedDigitalLink("duplicate_ai", _("Application identifier %(ai)s is given twice.") % {"ai": key})
        try:
            if not re.fullmatch(ai.pattern, key + value):
                raise ParseError(key)
            GS1ElementString.parse(key + value)  # dates are checked here
        except ParseError as error:
            raise MalformedDigitalLink(
                "bad_attribute",
                _("“%(value)s” is not a valid value for %(title)s (AI %(ai)s).")
                % {"value": value[:40], "title": ai.data_title, "ai": key},
            ) from error
        attributes.append((key, value))
    return tuple(attributes)


def _application_identifier(key: str) -> GS1ApplicationIdentifier | None:
    try:
        ai = GS1ApplicationIdentifier.extract(key)
    except ParseError:
        return None
    return ai if ai.ai == key else None


def query_pairs(query: str) -> list[tuple[str, str]]:
    """``(key, value)`` pairs of a raw query string, percent-decoded, in their order; blank values kept."""
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        key, _sep, value = part.partition("=")
        pairs.append((unquote(key.replace("+", " ")), unquote(value.replace("+", " "))))
    return pairs


def passed_on_query(query: str) -> str:
    """The request's query string as sent, less the resolver's own keywords: what a redirect passes on to its
    target (resolver standard 2.12)."""
    kept = [part for part in query.split("&") if part and unquote(part.partition("=")[0]) not in RESOLVER_KEYWORDS]
    return "&".join(kept)


def is_compressed(segment: str) -> bool:
    return bool(COMPRESSED_SEGMENT.match(segment))
