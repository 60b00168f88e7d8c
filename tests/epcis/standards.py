"""The EPCIS 2.0 standard's own files, read from ``../shared/standards/epcis`` (beside the repository; never copied
into it): the official JSON Schema and the example documents."""

import copy
import json
from functools import cache
from pathlib import Path

import jsonschema

STANDARD = Path(__file__).resolve().parents[2].parent / "shared" / "standards" / "epcis"
EXAMPLES = sorted((STANDARD / "examples").glob("*.jsonld"))


@cache
def _validator():
    schema = json.loads((STANDARD / "EPCIS-JSON-Schema.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    # Formats ("uri", "date-time") are assertions here, as the standard means them (rfc3986-validator and
    # rfc3339-validator, dev dependencies, make jsonschema check them).
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def official_errors(document) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in _validator().iter_errors(document)
    ]


def example(name: str) -> dict:
    return json.loads((STANDARD / "examples" / name).read_text())


def fresh(document) -> dict:
    return copy.deepcopy(document)
