"""IPM's own EPCIS validation held against the official EPCIS 2.0 JSON Schema: every example document of the
standard is accepted by both, and broken variants are refused by both (with a pointer IPM can show)."""

import pytest

from ipm.epcis import validation
from tests.epcis.standards import EXAMPLES, example, fresh, official_errors


def test_the_standard_files_are_there():
    assert len(EXAMPLES) >= 9, "../shared/standards/epcis/examples is missing"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_every_example_is_accepted_by_the_official_schema_and_by_ipm(path):
    document = example(path.name)
    assert official_errors(document) == []
    assert validation.validate_document(document) == []


def first_event(document) -> dict:
    return document["epcisBody"]["eventList"][0]


def _object_event():
    return fresh(example("Example_9.6.1-ObjectEvent.jsonld"))


def _set(path, value):
    def change(document):
        target = document
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


def _delete(path):
    def change(document):
        target = document
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return change


E0 = ("epcisBody", "eventList", 0)

BROKEN = {
    # name: (base example, change, the JSON pointer IPM must name)
    "missing eventTime": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _delete((*E0, "eventTime")),
        "/epcisBody/eventList/0/eventTime",
    ),
    "eventTime without a time zone": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _set((*E0, "eventTime"), "2005-04-03T20:33:31.116"),
        "/epcisBody/eventList/0/eventTime",
    ),
    "eventTime not a date": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _set((*E0, "eventTime"), "yesterday"),
        "/epcisBody/eventList/0/eventTime",
    ),
    "missing eventTimeZoneOffset": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _delete((*E0, "eventTimeZoneOffset")),
        "/epcisBody/eventList/0/eventTimeZoneOffset",
    ),
    "bad timezone offset +15:00": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _set((*E0, "eventTimeZoneOffset"), "+15:00"),
        "/epcisBody/eventList/0/eventTimeZoneOffset",
    ),
    "bad timezone offset without colon": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _set((*E0, "eventTimeZoneOffset"), "-0600"),
        "/epcisBody/eventList/0/eventTimeZoneOffset",
    ),
    "bad action": ("Example_9.6.1-ObjectEvent.jsonld", _set((*E0, "action"), "MOVE"), "/epcisBody/eventList/0/action"),
    "missing action": ("Example_9.6.1-ObjectEvent.jsonld", _delete((*E0, "action")), "/epcisBody/eventList/0/action"),
    "bad EPC URI": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _set((*E0, "epcList"), ["urn:epc:id:sgtin:0614141.107346.2017", "not an EPC"]),
        "/epcisBody/eventList/0/epcList/1",
    ),
    "epcList of the wrong type": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _set((*E0, "epcList"), "urn:epc:id:sgtin:0614141.107346.2017"),
        "/epcisBody/eventList/0/epcList",
    ),
    "epcList with the same EPC twice": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _set((*E0, "epcList"), ["urn:epc:id:sgtin:0614141.107346.2017", "urn:epc:id:sgtin:0614141.107346.2017"]),
        "/epcisBody/eventList/0/epcList/1",
    ),
    "unknown event type": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _set((*E0, "type"), "FooEvent"),
        "/epcisBody/eventList/0/type",
    ),
    "bizStep as a CBV URN": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _set((*E0, "bizStep"), "urn:epcglobal:cbv:bizstep:shipping"),
        "/epcisBody/eventList/0/bizStep",
    ),
    "unknown disposition": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _set((*E0, "disposition"), "broken"),
        "/epcisBody/eventList/0/disposition",
    ),
    "unknown field without a namespace": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _set((*E0, "colour"), "red"),
        "/epcisBody/eventList/0/colour",
    ),
    "readPoint without id": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _set((*E0, "readPoint"), {"name": "dock 4"}),
        "/epcisBody/eventList/0/readPoint",
    ),
    "eventID not a URI": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _set((*E0, "eventID"), "event 42"),
        "/epcisBody/eventList/0/eventID",
    ),
    "document without schemaVersion": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _delete(("schemaVersion",)),
        "/schemaVersion",
    ),
    "document without @context": ("Example_9.6.1-ObjectEvent.jsonld", _delete(("@context",)), "/@context"),
    "document of another type": ("Example_9.6.1-ObjectEvent.jsonld", _set(("type",), "Document"), "/type"),
    "eventList not a list": (
        "Example_9.6.1-ObjectEvent.jsonld",
        _set(("epcisBody", "eventList"), {}),
        "/epcisBody/eventList",
    ),
    "quantity without epcClass": (
        "Example_9.6.3-AggregationEvent.jsonld",
        _set((*E0, "childQuantityList"), [{"quantity": 10}]),
        "/epcisBody/eventList/0/childQuantityList/0",
    ),
    "bad unit of measure": (
        "Example_9.6.3-AggregationEvent.jsonld",
        _set(
            (*E0, "childQuantityList"),
            [{"epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 2, "uom": "kg"}],
        ),
        "/epcisBody/eventList/0/childQuantityList/0/uom",
    ),
    "aggregation ADD without children": (
        "Example_9.6.3-AggregationEvent.jsonld",
        lambda d: [
            _set((*E0, "action"), "ADD")(d),
            _delete((*E0, "childEPCs"))(d),
            _delete((*E0, "childQuantityList"))(d),
        ],
        "/epcisBody/eventList/0",
    ),
    "transaction without bizTransactionList": (
        "Example-TransactionEvents-2020_07_03y.jsonld",
        _delete((*E0, "bizTransactionList")),
        "/epcisBody/eventList/0/bizTransactionList",
    ),
    "transformation with an action": (
        "Example_9.6.4-TransformationEvent.jsonld",
        _set((*E0, "action"), "ADD"),
        "/epcisBody/eventList/0/action",
    ),
    "transformation without outputs": (
        "Example_9.6.4-TransformationEvent.jsonld",
        lambda d: [_delete((*E0, "outputEPCList"))(d)],
        "/epcisBody/eventList/0",
    ),
    "error declaration without its time": (
        "Example_9.6.1-ObjectEvent-with-error-declaration.jsonld",
        _set((*E0, "errorDeclaration"), {"reason": "incorrect_data"}),
        "/epcisBody/eventList/0/errorDeclaration",
    ),
}


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_variant_is_refused_by_the_official_schema_and_by_ipm(name):
    base, change, where = BROKEN[name]
    document = fresh(example(base))
    change(document)
    assert official_errors(document), f"the official schema accepts {name!r}: the variant is not broken"
    problems = validation.validate_document(document)
    assert problems, f"IPM accepts {name!r}"
    assert where in {problem.pointer for problem in problems}, problems
    assert all(problem.message for problem in problems)


def test_ipm_reads_what_an_sgtin_or_a_digital_link_names():
    from ipm.epcis.identifiers import trade_item

    assert trade_item("urn:epc:id:sgtin:0614141.107346.2017").gtin == "10614141073464"
    assert trade_item("urn:epc:id:sgtin:0614141.107346.2017").serial == "2017"
    assert trade_item("urn:epc:id:sgtin:0614141.107346.A%2FB").serial == "A/B"
    item = trade_item("https://id.gs1.org/01/70614141123451/21/2017")
    assert (item.gtin, item.serial) == ("70614141123451", "2017")
    assert trade_item("urn:epc:class:lgtin:4012345.012345.998877").lot == "998877"
    assert trade_item("urn:epc:id:sscc:0614141.1234567890") is None


@pytest.mark.parametrize(
    "epc",
    [
        "urn:epc:id:sgtin:0614141.10734.2017",  # 12 digits, not 13
        "urn:epc:id:sgtin:0614141.107346",  # no serial
        "urn:epc:id:sgtin:0614141.107346.123456789012345678901",  # serial of 21 characters
        "https://id.gs1.org/01/70614141123452/21/2017",  # wrong check digit
    ],
)
def test_a_well_formed_uri_that_is_a_broken_sgtin_or_digital_link_is_refused_by_ipm(epc):
    document = fresh(example("Example_9.6.1-ObjectEvent.jsonld"))
    document["epcisBody"]["eventList"][0]["epcList"] = [epc]
    assert official_errors(document) == []  # a URI for the schema …
    problems = validation.validate_document(document)  # … but IPM cannot store what it names
    assert [p.pointer for p in problems] == ["/epcisBody/eventList/0/epcList/0"]


def test_messages_are_translated():
    from django.utils import translation

    document = fresh(example("Example_9.6.1-ObjectEvent.jsonld"))
    del document["epcisBody"]["eventList"][0]["eventTime"]
    with translation.override("en"):
        english = validation.validate_document(document)[0].message
    with translation.override("fr"):
        french = validation.validate_document(document)[0].message
    assert english == 'The event has no "eventTime".'
    assert isinstance(french, str) and french  # the lead compiles the French catalogue at the end


def test_an_event_sent_alone_needs_its_context():
    event = first_event(example("Example_9.6.1-ObjectEvent.jsonld"))
    assert [p.pointer for p in validation.validate_event(event)] == ["/@context"]
    event["@context"] = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
    assert validation.validate_event(event) == []


def test_a_query_document_is_accepted_as_a_capture_document_is():
    """The REST binding's capture endpoint takes EPCISQueryDocuments too (results of another repository's query)."""
    source = example("Example_9.6.1-ObjectEvent.jsonld")
    query_document = {
        "@context": source["@context"],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": source["creationDate"],
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": source["epcisBody"]["eventList"]},
            }
        },
    }
    assert official_errors(query_document) == []
    assert validation.validate_document(query_document) == []
    del query_document["epcisBody"]["queryResults"]["resultsBody"]["eventList"][0]["eventTime"]
    assert official_errors(query_document)
    assert [p.pointer for p in validation.validate_document(query_document)] == [
        "/epcisBody/queryResults/resultsBody/eventList/0/eventTime"
    ]
