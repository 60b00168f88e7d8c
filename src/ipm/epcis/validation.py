"""Validation of EPCIS 2.0 JSON / JSON-LD documents and events, written for IPM.

No package on PyPI ships the EPCIS 2.0 JSON Schema, and the official file may not be copied into the project, so
the rules are restated here: the structure of the standard's JSON binding (required fields, enumerations, the
properties each event type may carry, extension properties as URIs) plus what IPM needs to store an event (a
readable event time, EPC URIs IPM understands when they claim to be SGTINs or GS1 Digital Links). The tests hold
this module against the official schema: every example document is accepted by both, and broken variants are
refused by both.

Every problem is reported with a JSON pointer (RFC 6901) into the document and a translated message, so a right
holder can fix its export; nothing is stored from a document with any problem (see ``ipm.epcis.services``).
"""

import contextlib
import json
import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from ipm.epcis import identifiers

EVENT_TYPES = ("ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent")
ACTIONS = ("OBSERVE", "ADD", "DELETE")
BIZ_STEPS = frozenset(
    [
        "accepting",
        "arriving",
        "assembling",
        "collecting",
        "commissioning",
        "consigning",
        "creating_class_instance",
        "cycle_counting",
        "decommissioning",
        "departing",
        "destroying",
        "disassembling",
        "dispensing",
        "encoding",
        "entering_exiting",
        "holding",
        "inspecting",
        "installing",
        "killing",
        "loading",
        "other",
        "packing",
        "picking",
        "receiving",
        "removing",
        "repackaging",
        "repairing",
        "replacing",
        "reserving",
        "retail_selling",
        "shipping",
        "staging_outbound",
        "stock_taking",
        "stocking",
        "storing",
        "transporting",
        "unloading",
        "unpacking",
        "void_shipping",
        "sensor_reporting",
        "sampling",
    ]
)
DISPOSITIONS = frozenset(
    [
        "active",
        "container_closed",
        "damaged",
        "destroyed",
        "dispensed",
        "disposed",
        "encoded",
        "expired",
        "in_progress",
        "in_transit",
        "inactive",
        "no_pedigree_match",
        "non_sellable_other",
        "partially_dispensed",
        "recalled",
        "reserved",
        "retail_sold",
        "returned",
        "sellable_accessible",
        "sellable_not_accessible",
        "stolen",
        "unknown",
        "available",
        "completeness_verified",
        "completeness_inferred",
        "conformant",
        "container_open",
        "mismatch_instance",
        "mismatch_class",
        "mismatch_quantity",
        "needs_replacement",
        "non_conformant",
        "unavailable",
    ]
)
BIZ_TRANSACTION_TYPES = frozenset(
    [
        "bol",
        "cert",
        "desadv",
        "inv",
        "pedigree",
        "po",
        "poc",
        "prodorder",
        "recadv",
        "rma",
        "testprd",
        "testres",
        "upevt",
    ]
)
SOURCE_DEST_TYPES = frozenset(("owning_party", "possessing_party", "location"))
ERROR_REASONS = frozenset(("did_not_occur", "incorrect_data"))

COMMON_PROPERTIES = frozenset(
    (
        "@context",
        "type",
        "eventTime",
        "recordTime",
        "eventTimeZoneOffset",
        "eventID",
        "certificationInfo",
        "errorDeclaration",
    )
)
_WHERE = ("bizStep", "disposition", "readPoint", "bizLocation", "sourceList", "destinationList", "sensorElementList")
PROPERTIES = {
    "ObjectEvent": {
        "action",
        "epcList",
        "quantityList",
        "persistentDisposition",
        "bizTransactionList",
        "ilmd",
        *_WHERE,
    },
    "AggregationEvent": {"parentID", "childEPCs", "childQuantityList", "action", "bizTransactionList", *_WHERE},
    "AssociationEvent": {"parentID", "childEPCs", "childQuantityList", "action", "bizTransactionList", *_WHERE},
    "TransactionEvent": {"bizTransactionList", "parentID", "epcList", "quantityList", "action", *_WHERE},
    "TransformationEvent": {
        "inputEPCList",
        "inputQuantityList",
        "outputEPCList",
        "outputQuantityList",
        "transformationID",
        "persistentDisposition",
        "bizTransactionList",
        "ilmd",
        *_WHERE,
    },
}
DOCUMENT_PROPERTIES = frozenset(
    (
        "@context",
        "id",
        "type",
        "schemaVersion",
        "creationDate",
        "instanceIdentifier",
        "sender",
        "receiver",
        "epcisHeader",
        "epcisBody",
    )
)
QUERY_DOCUMENT_PROPERTIES = frozenset(("@context", "id", "type", "schemaVersion", "creationDate", "epcisBody"))

# RFC 3986: a scheme, a colon, then characters a URI may hold (no spaces, no quotes or angle brackets).
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
# RFC 3339 date-time, as JSON Schema's "date-time" format: a time zone (Z or an offset) is required.
_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$",
)
_TIME_ZONE_OFFSET = re.compile(r"^[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00)$")
_CBV_PREFIX = re.compile(r"^(urn:epcglobal:cbv|https?://ns\.gs1\.org/cbv/)")
_VERSION = re.compile(r"^\d+(\.\d+)*$")
_UOM = re.compile(r"^[A-Z0-9]{2,3}$")
_HEX = re.compile(r"^[A-Fa-f0-9]+$")
# Terms of the GS1 Web Vocabulary are written bare (e.g. "Temperature"), never as their gs1.org URIs; the CBV's
# components likewise never as CBV URIs (both are kept strict enough for the two patterns' sake).
_GS1_WEB_VOCABULARY = re.compile(
    r"^(https?://gs1\.org/voc/|https?://www\.gs1\.org/voc/|urn:epcglobal:cbv|https?://ns\.gs1\.org/cbv/)"
)

MAX_REPORTED_ERRORS = 1000

MEASUREMENT_TYPES = frozenset(
    [
        "AbsoluteHumidity",
        "AbsorbedDose",
        "AbsorbedDoseRate",
        "Acceleration",
        "Radioactivity",
        "Altitude",
        "AmountOfSubstance",
        "AmountOfSubstancePerUnitVolume",
        "Angle",
        "AngularAcceleration",
        "AngularMomentum",
        "AngularVelocity",
        "Area",
        "Capacitance",
        "Conductance",
        "Conductivity",
        "Count",
        "Density",
        "Dimensionless",
        "DoseEquivalent",
        "DoseEquivalentRate",
        "DynamicViscosity",
        "ElectricCharge",
        "ElectricCurrent",
        "ElectricCurrentDensity",
        "ElectricFieldStrength",
        "Energy",
        "Exposure",
        "Force",
        "Frequency",
        "Illuminance",
        "Inductance",
        "Irradiance",
        "KinematicViscosity",
        "Length",
        "LinearMomentum",
        "Luminance",
        "LuminousFlux",
        "LuminousIntensity",
        "MagneticFlux",
        "MagneticFluxDensity",
        "MagneticVectorPotential",
        "Mass",
        "MassConcentration",
        "MassFlowRate",
        "MassPerAreaTime",
        "MemoryCapacity",
        "MolalityOfSolute",
        "MolarEnergy",
        "MolarMass",
        "MolarVolume",
        "Power",
        "Pressure",
        "RadiantFlux",
        "RadiantIntensity",
        "RelativeHumidity",
        "Resistance",
        "Resistivity",
        "SolidAngle",
        "SpecificVolume",
        "Speed",
        "SurfaceDensity",
        "SurfaceTension",
        "Temperature",
        "Time",
        "Torque",
        "Voltage",
        "Volume",
        "VolumeFlowRate",
        "VolumeFraction",
        "VolumetricFlux",
        "Wavenumber",
    ]
)
SENSOR_ALERTS = frozenset(("ALARM_CONDITION", "ERROR_CONDITION"))
COMPONENTS = frozenset(
    [
        "x",
        "y",
        "z",
        "axial_distance",
        "azimuth",
        "height",
        "spherical_radius",
        "polar_angle",
        "elevation_angle",
        "easting",
        "northing",
        "latitude",
        "longitude",
        "altitude",
    ]
)
SENSOR_METADATA = {
    "time": "time",
    "deviceID": "uri",
    "deviceMetadata": "uri",
    "rawData": "uri",
    "startTime": "time",
    "endTime": "time",
    "dataProcessingMethod": "uri",
    "bizRules": "uri",
}
SENSOR_REPORT = {
    "type": MEASUREMENT_TYPES,
    "exception": SENSOR_ALERTS,
    "deviceID": "uri",
    "deviceMetadata": "uri",
    "rawData": "uri",
    "dataProcessingMethod": "uri",
    "bizRules": "uri",
    "time": "time",
    "microorganism": "uri",
    "chemicalSubstance": "uri",
    "coordinateReferenceSystem": "uri",
    "value": "decimal",
    "component": COMPONENTS,
    "stringValue": "string",
    "booleanValue": "boolean",
    "hexBinaryValue": "hex",
    "uriValue": "uri",
    "minValue": "decimal",
    "maxValue": "decimal",
    "meanValue": "decimal",
    "sDev": "decimal",
    "percRank": "decimal",
    "percValue": "decimal",
    "uom": "string",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong, where it is (a JSON pointer into the document) and what to do about it."""

    pointer: str
    message: str

    def as_dict(self) -> dict:
        return {"pointer": self.pointer, "message": self.message}


class TooManyProblems(Exception):
    """Raised to stop validating once ``MAX_REPORTED_ERRORS`` problems are found: nobody reads the rest."""


def pointer(*parts) -> str:
    """A JSON pointer (RFC 6901) from path parts."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def is_uri(value) -> bool:
    return isinstance(value, str) and bool(_URI.match(value))


def parse_date_time(value) -> datetime | None:
    """An RFC 3339 date-time with its time zone as an aware datetime; None when it is not one."""
    if not isinstance(value, str):
        return None
    match = _DATE_TIME.match(value)
    if not match:
        return None
    fraction = (match.group(7) or "")[:7]  # Python reads at most microseconds
    zone = match.group(8).upper()
    text = f"{match.group(1)}-{match.group(2)}-{match.group(3)}T{match.group(4)}:{match.group(5)}:{match.group(6)}"
    try:
        return datetime.fromisoformat(text + fraction + ("+00:00" if zone == "Z" else zone))
    except ValueError:
        return None


class Validator:
    """Collects the problems of one document (or of one event sent alone)."""

    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, where: str | tuple, message: str) -> None:
        """``where``: a JSON pointer, or the path parts of one (made into a pointer only when there is a problem:
        a document holds tens of thousands of EPCs)."""
        if isinstance(where, tuple):
            where = pointer(*where)
        self.problems.append(Problem(where or "/", message))
        if len(self.problems) >= MAX_REPORTED_ERRORS:
            raise TooManyProblems

    # --- Documents --------------------------------------------------------------------------------------------

    def document(self, document) -> list:
        """The events of an ``EPCISDocument`` (or ``EPCISQueryDocument``), validating the document around them.
        Returns the event list (possibly empty) so the caller can go on checking each event."""
        if not isinstance(document, dict):
            self.add("", _("An EPCIS document must be a JSON object."))
            return []
        kind = document.get("type")
        if kind not in ("EPCISDocument", "EPCISQueryDocument"):
            self.add(pointer("type"), _('The document\'s "type" must be "EPCISDocument" (or "EPCISQueryDocument").'))
            return []
        allowed = DOCUMENT_PROPERTIES if kind == "EPCISDocument" else QUERY_DOCUMENT_PROPERTIES
        self.property_names(document, allowed, "")
        required = ["@context", "epcisBody"] + (["schemaVersion", "creationDate"] if kind == "EPCISDocument" else [])
        for name in required:
            if name not in document:
                self.add(pointer(name), _('The document has no "%(name)s".') % {"name": name})
        if "@context" in document:
            self.context(document["@context"], pointer("@context"))
        if "schemaVersion" in document:
            version = document["schemaVersion"]
            if not isinstance(version, str) or not _VERSION.match(version):
                self.add(pointer("schemaVersion"), _('"schemaVersion" must be a version such as "2.0".'))
            elif not version.startswith("2"):
                self.add(pointer("schemaVersion"), _("IPM accepts EPCIS 2.0 documents only."))
        if "creationDate" in document:
            self.date_time(document["creationDate"], pointer("creationDate"))
        if "id" in document:
            self.uri(document["id"], pointer("id"))
        if "epcisHeader" in document and not isinstance(document["epcisHeader"], dict):
            self.add(pointer("epcisHeader"), _('"epcisHeader" must be an object.'))
        for name in ("instanceIdentifier", "sender", "receiver"):
            if name in document and not isinstance(document[name], str):
                self.add(pointer(name), _('"%(name)s" must be a text.') % {"name": name})
        if "epcisBody" not in document:
            return []
        body = document["epcisBody"]
        if not isinstance(body, dict):
            self.add(pointer("epcisBody"), _('"epcisBody" must be an object.'))
            return []
        if kind == "EPCISQueryDocument":
            results = body.get("queryResults")
            if not isinstance(results, dict) or not isinstance(results.get("resultsBody"), dict):
                self.add(pointer("epcisBody", "queryResults"), _('"queryResults" must hold a "resultsBody".'))
                return []
            events, where = results["resultsBody"].get("eventList"), ("epcisBody", "queryResults", "resultsBody")
        else:
            events, where = body.get("eventList"), ("epcisBody",)
        if not isinstance(events, list):
            self.add(pointer(*where, "eventList"), _('"eventList" must be a list of events.'))
            return []
        return events

    def event_pointer_base(self, document) -> tuple:
        if isinstance(document, dict) and document.get("type") == "EPCISQueryDocument":
            return ("epcisBody", "queryResults", "resultsBody", "eventList")
        return ("epcisBody", "eventList")

    # --- Events -----------------------------------------------------------------------------------------------

    def event(self, event, where: tuple, *, alone: bool = False) -> None:
        here = pointer(*where)
        if not isinstance(event, dict):
            self.add(here, _("An event must be a JSON object."))
            return
        kind = event.get("type")
        if not isinstance(kind, str) or kind not in PROPERTIES:
            self.add(
                pointer(*where, "type"),
                _(
                    "Unknown event type %(type)s: IPM accepts ObjectEvent, AggregationEvent, TransactionEvent, "
                    "TransformationEvent and AssociationEvent."
                )
                % {"type": _json_repr(kind)},
            )
            return
        self.property_names(event, COMMON_PROPERTIES | PROPERTIES[kind], here)
        if alone and "@context" not in event:
            self.add(pointer(*where, "@context"), _('An event sent on its own needs its "@context".'))
        if "@context" in event:
            self.context(event["@context"], pointer(*where, "@context"))
        if "eventTime" not in event:
            self.add(pointer(*where, "eventTime"), _('The event has no "eventTime".'))
        else:
            self.date_time(event["eventTime"], pointer(*where, "eventTime"))
        if "recordTime" in event:
            self.date_time(event["recordTime"], pointer(*where, "recordTime"))
        offset = event.get("eventTimeZoneOffset")
        if "eventTimeZoneOffset" not in event:
            self.add(pointer(*where, "eventTimeZoneOffset"), _('The event has no "eventTimeZoneOffset".'))
        elif not isinstance(offset, str) or not _TIME_ZONE_OFFSET.match(offset):
            self.add(
                pointer(*where, "eventTimeZoneOffset"),
                _('"eventTimeZoneOffset" must be an offset from UTC between -13:59 and +14:00, such as "+02:00".'),
            )
        if "eventID" in event:
            self.uri(event["eventID"], pointer(*where, "eventID"))
        if "certificationInfo" in event:
            info = event["certificationInfo"]
            for index, value in enumerate(info if isinstance(info, list) else [info]):
                self.uri(value, pointer(*where, "certificationInfo", *([index] if isinstance(info, list) else [])))
        if "errorDeclaration" in event:
            self.error_declaration(event["errorDeclaration"], (*where, "errorDeclaration"))

        if kind != "TransformationEvent":
            action = event.get("action")
            if "action" not in event:
                self.add(pointer(*where, "action"), _('The event has no "action".'))
            elif action not in ACTIONS:
                self.add(pointer(*where, "action"), _('"action" must be "ADD", "OBSERVE" or "DELETE".'))
        self.vocabulary(event, "bizStep", BIZ_STEPS, where)
        self.vocabulary(event, "disposition", DISPOSITIONS, where)
        for name in ("readPoint", "bizLocation"):
            if name in event:
                value = event[name]
                if not isinstance(value, dict) or "id" not in value:
                    self.add(pointer(*where, name), _('"%(name)s" must be an object with an "id".') % {"name": name})
                else:
                    self.uri(value["id"], pointer(*where, name, "id"))
        self.links(event, where)
        for name in ("epcList", "childEPCs", "inputEPCList", "outputEPCList"):
            if name in event:
                self.epc_list(event[name], (*where, name))
        for name in ("parentID", "transformationID"):
            if name in event:
                self.epc(event[name], pointer(*where, name)) if name == "parentID" else self.uri(
                    event[name], pointer(*where, name)
                )
        for name in ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"):
            if name in event:
                self.quantity_list(event[name], (*where, name))
        if "ilmd" in event and kind == "ObjectEvent" and event.get("action") in ("OBSERVE", "DELETE"):
            self.add(
                pointer(*where, "ilmd"),
                _("Instance/lot master data (ILMD) belongs to the event that creates the items: action ADD."),
            )
        if "ilmd" in event:
            ilmd = event["ilmd"]
            if not isinstance(ilmd, dict):
                self.add(pointer(*where, "ilmd"), _('"ilmd" must be an object.'))
            else:
                for key in ilmd:
                    if not is_uri(key):
                        self.add(
                            pointer(*where, "ilmd", key),
                            _('ILMD field %(name)s must be named with a namespace prefix, such as "cbvmda:lotNumber".')
                            % {"name": _json_repr(key)},
                        )
        if "persistentDisposition" in event:
            self.persistent_disposition(event["persistentDisposition"], (*where, "persistentDisposition"))
        if "sensorElementList" in event:
            self.sensor_elements(event["sensorElementList"], (*where, "sensorElementList"))
        self.what(event, kind, where)

    def what(self, event, kind, where) -> None:
        """What the event is about: the standard requires at least one of its lists (or, for an object event,
        sensor data read at a place)."""
        delete = event.get("action") == "DELETE"
        if kind == "ObjectEvent":
            sensors = bool(event.get("sensorElementList")) and "readPoint" in event
            if "epcList" not in event and not event.get("quantityList") and not sensors:
                self.add(pointer(*where), _('An ObjectEvent needs an "epcList" or a "quantityList".'))
        elif kind == "TransactionEvent":
            if "bizTransactionList" not in event:
                self.add(pointer(*where, "bizTransactionList"), _('A TransactionEvent needs a "bizTransactionList".'))
            elif not event["bizTransactionList"]:
                self.add(pointer(*where, "bizTransactionList"), _('"bizTransactionList" must not be empty.'))
            if "epcList" not in event and not event.get("quantityList") and not delete:
                self.add(pointer(*where), _('A TransactionEvent needs an "epcList" or a "quantityList".'))
        elif kind in ("AggregationEvent", "AssociationEvent"):
            if kind == "AssociationEvent" and "parentID" not in event:
                self.add(pointer(*where, "parentID"), _('An AssociationEvent needs a "parentID".'))
            if not event.get("childEPCs") and not event.get("childQuantityList") and not delete:
                self.add(
                    pointer(*where),
                    _('An %(type)s needs "childEPCs" or a "childQuantityList".') % {"type": kind},
                )
        elif kind == "TransformationEvent":
            has_input = bool(event.get("inputEPCList") or event.get("inputQuantityList"))
            has_output = bool(event.get("outputEPCList") or event.get("outputQuantityList"))
            if not (has_input and has_output) and not ("transformationID" in event and (has_input or has_output)):
                self.add(
                    pointer(*where),
                    _("A TransformationEvent needs inputs and outputs (or a transformationID with either)."),
                )

    # --- Parts ------------------------------------------------------------------------------------------------

    def property_names(self, value: dict, allowed, here: str) -> None:
        for name in value:
            if name not in allowed and not is_uri(name):
                self.add(
                    here + pointer(name),
                    _(
                        "Unknown field %(name)s: an extension field is named with a namespace prefix, such as "
                        '"example:myField".'
                    )
                    % {"name": _json_repr(name)},
                )

    def context(self, value, here: str) -> None:
        items = value if isinstance(value, list) else [value]
        for item in items:
            if not (isinstance(item, dict) or is_uri(item)):
                self.add(here, _('"@context" must be a URI, an object or a list of them.'))
                return
        if isinstance(value, list):
            canonical = [json.dumps(item, sort_keys=True) for item in value]
            if len(set(canonical)) != len(canonical):
                self.add(here, _('"@context" lists the same entry twice.'))

    def date_time(self, value, here: str) -> None:
        if parse_date_time(value) is None:
            self.add(
                here,
                _('Not a date and time with its time zone (RFC 3339), such as "2024-05-01T10:30:00.000+02:00".'),
            )

    def uri(self, value, here: str) -> None:
        if not is_uri(value):
            self.add(here, _("Not a URI: %(value)s.") % {"value": _json_repr(value)})

    def epc(self, value, here: str | tuple) -> None:
        if not is_uri(value):
            self.add(here, _("Not an EPC URI: %(value)s.") % {"value": _json_repr(value)})
            return
        problem = identifiers.problem(value)
        if problem:
            self.add(here, problem)

    def epc_list(self, value, where: tuple) -> None:
        if not isinstance(value, list):
            self.add(pointer(*where), _("Must be a list of EPC URIs."))
            return
        seen = set()
        for index, epc in enumerate(value):
            self.epc(epc, (*where, index))
            if isinstance(epc, str):
                if epc in seen:
                    self.add((*where, index), _("This EPC is listed twice."))
                seen.add(epc)

    def quantity_list(self, value, where: tuple) -> None:
        if not isinstance(value, list):
            self.add(pointer(*where), _("Must be a list of quantities."))
            return
        for index, item in enumerate(value):
            here = (*where, index)
            if not isinstance(item, dict) or "epcClass" not in item:
                self.add(pointer(*here), _('A quantity must be an object with an "epcClass".'))
                continue
            for name in item:
                if name not in ("epcClass", "quantity", "uom"):
                    self.add(pointer(*here, name), _("Unknown field %(name)s.") % {"name": _json_repr(name)})
            self.uri(item["epcClass"], pointer(*here, "epcClass"))
            quantity = item.get("quantity")
            if "quantity" in item and (isinstance(quantity, bool) or not isinstance(quantity, int | float)):
                self.add(pointer(*here, "quantity"), _('"quantity" must be a number.'))
            uom = item.get("uom")
            if "uom" in item and (not isinstance(uom, str) or not _UOM.match(uom)):
                self.add(pointer(*here, "uom"), _('"uom" must be a UN/CEFACT unit code, such as "KGM".'))

    def vocabulary(self, event, name, words, where) -> None:
        if name not in event:
            return
        value = event[name]
        if isinstance(value, str) and value in words:
            return
        if is_uri(value) and not _CBV_PREFIX.match(value):
            return  # a user vocabulary, by its own URI
        self.add(
            pointer(*where, name),
            _('%(value)s is not a CBV %(name)s (write the bare word, e.g. "shipping") nor a URI of your own.')
            % {"value": _json_repr(value), "name": name},
        )

    def links(self, event, where) -> None:
        lists = (
            ("bizTransactionList", "bizTransaction", BIZ_TRANSACTION_TYPES, False),
            ("sourceList", "source", SOURCE_DEST_TYPES, True),
            ("destinationList", "destination", SOURCE_DEST_TYPES, True),
        )
        for name, key, types, type_required in lists:
            if name not in event:
                continue
            value = event[name]
            if not isinstance(value, list):
                self.add(pointer(*where, name), _("Must be a list."))
                continue
            for index, item in enumerate(value):
                here = (*where, name, index)
                if not isinstance(item, dict) or key not in item or (type_required and "type" not in item):
                    self.add(
                        pointer(*here),
                        _('Each item must be an object with "%(key)s"%(type)s.')
                        % {"key": key, "type": _(' and "type"') if type_required else ""},
                    )
                    continue
                for field in item:
                    if field not in ("type", key):
                        self.add(pointer(*here, field), _("Unknown field %(name)s.") % {"name": _json_repr(field)})
                self.uri(item[key], pointer(*here, key))
                if "type" in item:
                    self.vocabulary(item, "type", types, here)

    def error_declaration(self, value, where) -> None:
        if not isinstance(value, dict) or "declarationTime" not in value:
            self.add(pointer(*where), _('"errorDeclaration" must be an object with a "declarationTime".'))
            return
        self.property_names(value, {"declarationTime", "reason", "correctiveEventIDs"}, pointer(*where))
        self.date_time(value["declarationTime"], pointer(*where, "declarationTime"))
        if "reason" in value:
            self.vocabulary(value, "reason", ERROR_REASONS, where)
        ids = value.get("correctiveEventIDs", [])
        if not isinstance(ids, list):
            self.add(pointer(*where, "correctiveEventIDs"), _("Must be a list of event IDs."))
        else:
            for index, event_id in enumerate(ids):
                self.uri(event_id, pointer(*where, "correctiveEventIDs", index))

    def persistent_disposition(self, value, where) -> None:
        if not isinstance(value, dict) or not (value.get("set") or value.get("unset")):
            self.add(pointer(*where), _('"persistentDisposition" must be an object with "set" or "unset".'))
            return
        for name, items in value.items():
            if name not in ("set", "unset") or not isinstance(items, list) or not items:
                self.add(pointer(*where, name), _('"set" and "unset" must be non-empty lists of dispositions.'))
                continue
            for index, item in enumerate(items):
                if not (
                    (isinstance(item, str) and item in DISPOSITIONS) or (is_uri(item) and not _CBV_PREFIX.match(item))
                ):
                    self.add(pointer(*where, name, index), _("Not a CBV disposition."))

    def sensor_elements(self, value, where) -> None:
        """Sensor data (EPCIS 2.0 section 7.3.8): IPM stores it as it comes, but only if the standard would."""
        if not isinstance(value, list):
            self.add(pointer(*where), _("Must be a list of sensor elements."))
            return
        for index, element in enumerate(value):
            here = (*where, index)
            if not isinstance(element, dict) or not isinstance(element.get("sensorReport"), list):
                self.add(here, _('A sensor element must hold a "sensorReport" list.'))
                continue
            self.property_names(element, {"sensorMetadata", "sensorReport"}, pointer(*here))
            if not element["sensorReport"]:
                self.add((*here, "sensorReport"), _('"sensorReport" must not be empty.'))
            if "sensorMetadata" in element:
                self.sensor_fields(element["sensorMetadata"], (*here, "sensorMetadata"), SENSOR_METADATA)
            for position, report in enumerate(element["sensorReport"]):
                self.sensor_fields(report, (*here, "sensorReport", position), SENSOR_REPORT)

    def sensor_fields(self, value, where, fields: dict) -> None:
        if not isinstance(value, dict):
            self.add(where, _("Must be an object."))
            return
        self.property_names(value, set(fields), pointer(*where))
        if fields is SENSOR_REPORT and "type" not in value:
            self.add((*where, "type"), _('A sensor report needs a "type" (what was measured).'))
        for name, kind in fields.items():
            if name not in value:
                continue
            item, here = value[name], (*where, name)
            if kind == "time":
                self.date_time(item, pointer(*here))
            elif kind == "uri":
                self.uri(item, pointer(*here))
            elif kind == "decimal" and (isinstance(item, bool) or not isinstance(item, int | float)):
                self.add(here, _("Must be a number."))
            elif kind == "string" and not isinstance(item, str):
                self.add(here, _("Must be a text."))
            elif kind == "boolean" and not isinstance(item, bool):
                self.add(here, _("Must be true or false."))
            elif kind == "hex" and not (isinstance(item, str) and _HEX.match(item)):
                self.add(here, _("Must be hexadecimal digits."))
            elif isinstance(kind, frozenset) and not (
                (isinstance(item, str) and item in kind) or (is_uri(item) and not _GS1_WEB_VOCABULARY.match(item))
            ):
                self.add(
                    here,
                    _("Not a term of the standard nor a URI of your own: %(value)s.") % {"value": _json_repr(item)},
                )


def _json_repr(value) -> str:
    """A short rendering of a JSON value for a message."""
    if isinstance(value, str):
        return f'"{value[:80]}"'
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int | float):
        return str(value)
    return _("a list") if isinstance(value, list) else _("an object")


def validate_document(document) -> list[Problem]:
    """Every problem of an EPCIS document (up to ``MAX_REPORTED_ERRORS``); empty when IPM accepts it."""
    validator = Validator()
    with contextlib.suppress(TooManyProblems):
        events = validator.document(document)
        base = validator.event_pointer_base(document)
        for index, event in enumerate(events):
            validator.event(event, (*base, index))
    return validator.problems


def validate_event(event) -> list[Problem]:
    """Every problem of one event sent on its own (``POST /epcis/events``)."""
    validator = Validator()
    with contextlib.suppress(TooManyProblems):
        validator.event(event, (), alone=True)
    return validator.problems
