"""Reading GS1 Digital Link paths and query strings (no database)."""

import pytest

from ipm.resolver.digital_link import (
    MalformedDigitalLink,
    is_compressed,
    parse_request,
    passed_on_query,
    path_segments,
    query_pairs,
)
from ipm.resolver.resolution import accepted_languages, language_rank, requested_link_type


def parse(path: str, query: str = ""):
    return parse_request(path_segments(path, decoded=True), query)


def test_a_full_path():
    dl = parse("/01/9506000164908/22/2A/10/ABC%2F1/21/12345", "17=261231&3103=000195&foo=bar")
    assert (dl.gtin, dl.cpv, dl.lot, dl.serial, dl.tpx) == ("09506000164908", "2A", "ABC%2F1", "12345", None)
    assert dl.attributes == (("17", "261231"), ("3103", "000195"))
    assert dl.request_path == "/01/09506000164908/22/2A/10/ABC%252F1/21/12345"
    assert dl.path(serial="12345") == "/01/09506000164908/21/12345"


def test_raw_segments_are_decoded_after_the_split():
    assert path_segments("/01/09506000164908/10/AB%2F1/", decoded=False) == ["01", "09506000164908", "10", "AB/1"]
    dl = parse_request(path_segments("/01/09506000164908/10/AB%2F1", decoded=False), "")
    assert dl.lot == "AB/1" and dl.path(lot=dl.lot) == "/01/09506000164908/10/AB%2F1"


@pytest.mark.parametrize("printed, gtin14", [("12345670", "00000012345670"), ("614141123452", "00614141123452")])
def test_zero_suppressed_gtins(printed, gtin14):
    assert parse(f"/01/{printed}").gtin == gtin14


@pytest.mark.parametrize("length", [7, 9, 10, 11, 15])
def test_other_lengths_are_refused(length):
    with pytest.raises(MalformedDigitalLink) as error:
        parse("/01/" + "1" * length)
    assert error.value.code == "bad_gtin"


def test_too_long():
    with pytest.raises(MalformedDigitalLink) as error:
        parse("/01/09506000164908", "foo=" + "x" * 3000)
    assert error.value.code == "too_long"


def test_query_helpers():
    assert query_pairs("a=1&b=&c&linkType=gs1%3Apip&q=a+b") == [
        ("a", "1"),
        ("b", ""),
        ("c", ""),
        ("linkType", "gs1:pip"),
        ("q", "a b"),
    ]
    assert passed_on_query("linkType=gs1:pip&foo=bar&context=FR&x=%20y&link%54ype=all") == "foo=bar&x=%20y"


def test_compressed_segments():
    assert is_compressed("AQnYUc1gmiCBVAtr")
    assert not is_compressed("organisations") and not is_compressed("12345678") and not is_compressed("ab1")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("linkset", "linkset"),
        ("all", "linkset"),
        ("gs1:pip", "pip"),
        ("https://ref.gs1.org/voc/recallStatus", "recallStatus"),
        ("http://gs1.org/voc/pip", "pip"),
        ("gs1:defaultLink", "defaultLink"),
        ("gs1:nosuchlt", None),
        ("pip", None),
        ("schema:url", None),
    ],
)
def test_link_types(value, expected):
    assert requested_link_type(value) == expected


def test_accept_language():
    assert accepted_languages("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5") == ["fr-ch", "fr", "en", "de"]
    assert accepted_languages("en;q=0, pt-BR") == ["pt-br"]
    assert accepted_languages("da, en-gb;q=0.8, en;q=bad") == ["da", "en-gb"]
    accepted = accepted_languages("en-GB,en;q=0.9")
    assert language_rank("en-GB", accepted) < language_rank("en-US", accepted) < language_rank("", accepted)
    assert language_rank("", accepted) < language_rank("fr", accepted)
