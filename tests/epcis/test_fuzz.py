"""IPM's EPCIS validation under random damage: the example documents with values replaced, removed or added at
random. It must never raise, and must never accept what the official schema refuses (IPM may refuse more: it also
reads the EPCs). The mutants IPM accepts are then captured, which must not raise either. (A seeded random loop, as
in tests/gs1/test_fuzz.py: reproducible when it finds something.)"""

import copy
import random

import pytest

from ipm.accounts.models import Organisation, OrganisationKind, Role, User
from ipm.epcis import services, validation
from ipm.epcis.models import CaptureJob, CaptureStatus
from tests.epcis.standards import EXAMPLES, example, fresh, official_errors

VALUES = [
    None,
    True,
    0,
    -1,
    2.5,
    "",
    "x",
    "not a uri",
    "urn:x:y",
    "ADD",
    "OBSERVE",
    "shipping",
    "destroyed",
    "+02:00",
    "+15:00",
    "2024-05-01T10:30:00Z",
    "2024-13-01T10:30:00Z",
    "2024-05-01",
    "urn:epc:id:sgtin:0614141.107346.2017",
    "urn:epc:id:sgtin:0614141.1073.2017",
    "https://id.gs1.org/01/70614141123451/21/9",
    "https://id.gs1.org/01/70614141123452/21/9",
    "ObjectEvent",
    "FooEvent",
    [],
    [1],
    ["urn:epc:id:sscc:0614141.1234567890"],
    {},
    {"id": "urn:x"},
    {"epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 1},
]
NAMES = ["eventTime", "action", "type", "epcList", "bizStep", "foo", "example:bar", "ilmd", "readPoint", "quantity"]


def nodes(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nodes(item, (*path, index))


def mutate(rng: random.Random, document):
    document = fresh(document)
    for _ in range(rng.randrange(1, 4)):
        path, _value = rng.choice(list(nodes(document))[1:])
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        choice = rng.randrange(3)
        if choice == 0:
            parent[path[-1]] = copy.deepcopy(rng.choice(VALUES))
        elif choice == 1:
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[rng.choice(NAMES)] = copy.deepcopy(rng.choice(VALUES))
        else:
            parent.append(copy.deepcopy(rng.choice(VALUES)))
    return document


def mutants(count: int, seed: int):
    rng = random.Random(seed)
    documents = [example(path.name) for path in EXAMPLES]
    for _ in range(count):
        yield mutate(rng, rng.choice(documents))


@pytest.mark.parametrize("seed", range(4))
def test_ipm_never_accepts_what_the_official_schema_refuses(seed):
    accepted = refused = 0
    for document in mutants(500, seed):
        problems = validation.validate_document(document)  # must not raise
        assert all(problem.pointer.startswith("/") and problem.message for problem in problems)
        if not problems:
            accepted += 1
            assert official_errors(document) == [], document
        else:
            refused += 1
    assert accepted and refused  # the loop explores both sides


@pytest.mark.django_db
def test_capturing_damaged_documents_never_raises():
    secretariat = Organisation.objects.create(name="Secretariat", kind=OrganisationKind.SECRETARIAT)
    user = User.objects.create_user("s@example.test", "x" * 12, organisation=secretariat, role=Role.EDITOR)
    outcomes = set()
    for document in mutants(150, 99):
        job = CaptureJob.objects.create(organisation=secretariat, created_by=user)
        services.run_capture(job, document, user)
        job.refresh_from_db()
        outcomes.add(job.status)
    assert outcomes == {CaptureStatus.SUCCESS, CaptureStatus.FAILED}
