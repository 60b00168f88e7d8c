"""IPM's resolver against the GS1-Conformant Resolver criteria (shared/standards/resolver: Conformance1_2.txt and
ConformantResolver1_0.txt), one test or group of tests per criterion, named in each docstring; plus the access
rules the resolver must keep (drafts and country-restricted sheets, customs-only links).

Requests go through Django's test client (``test_live.py`` repeats the essentials over a real HTTP server)."""

import json

import pytest

from ipm.resolver.models import ResolverLink
from tests.resolver.conftest import (
    CERTIFICATE,
    DPP_S1,
    DRAFT,
    FR_ONLY,
    HOMEPAGE,
    OUTSIDE,
    PIP_EN,
    PIP_FR,
    PUBLIC,
    RECALL_LOT1,
    RIVAL,
    SPARE,
    SPARE_PAGE,
    UNKNOWN_IN_RANGE,
    VERIFY,
    gtin14,
)

pytestmark = pytest.mark.django_db

GS1 = "https://ref.gs1.org/voc/"
LINKSET = "application/linkset+json"
ROOT = "http://testserver"


def dl(gtin: str = PUBLIC, qualifiers: str = "", query: str = "") -> str:
    return f"/01/{gtin14(gtin)}{qualifiers}" + (f"?{query}" if query else "")


def public_page(gtin: str = PUBLIC) -> str:
    return f"{ROOT}/p/{gtin14(gtin)}/"


def linkset(client, url: str, **headers) -> dict:
    response = client.get(url, headers={"accept": LINKSET, **headers})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == LINKSET
    return json.loads(response.content)


def anchors(body: dict) -> dict:
    return {context["anchor"]: context for context in body["linkset"]}


def hrefs(context: dict, link_type: str) -> list[str]:
    return [target["href"] for target in context.get(GS1 + link_type, [])]


# --- HTTP ---------------------------------------------------------------------------------------------------------


def test_get_head_and_options(rw, anonymous):
    """Criterion: SHALL support HTTP 1.1 (or higher) GET, HEAD and OPTIONS requests."""
    got = anonymous.get(dl())
    head = anonymous.head(dl())
    options = anonymous.options(dl())
    assert got.status_code == head.status_code == 307
    assert head["Location"] == got["Location"] and head["Link"] == got["Link"]
    assert head.content == b""
    assert options.status_code == 204
    assert {method.strip() for method in options["Allow"].split(",")} == {"GET", "HEAD", "OPTIONS"}


def test_other_methods_are_refused_with_the_allowed_ones(rw, anonymous):
    """Criterion: SHALL support … GET, HEAD and OPTIONS (and nothing that changes anything)."""
    for method in ("post", "put", "delete", "patch"):
        response = getattr(anonymous, method)(dl())
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response.json()["error"]["code"] == "not_allowed"
        assert response["Access-Control-Allow-Origin"] == "*"


def test_https_is_used_in_what_the_resolver_publishes(rw):
    """Criterion: SHALL support HTTP Over TLS (HTTPS). TLS itself is the deployment's proxy (docs/deployment.md);
    reached over HTTPS, the resolver names itself and its anchors with https, and refuses plain-HTTP targets."""
    client = rw.client()
    body = json.loads(client.get(dl(query="linkType=linkset"), secure=True).content)
    assert all(context["anchor"].startswith("https://testserver/01/") for context in body["linkset"])
    described = client.get("/.well-known/gs1resolver", secure=True).json()
    assert described["resolverRoot"] == "https://testserver"
    assert client.get(dl(), secure=True)["Location"] == "https://testserver/p/" + gtin14(PUBLIC) + "/"


# --- CORS ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [dl(), dl(query="linkType=linkset"), dl(query="linkType=gs1:nothing"), dl(OUTSIDE), "/01/123/foo"],
    ids=["redirect", "linkset", "no such link", "unknown GTIN", "malformed"],
)
def test_cors_on_every_answer(rw, anonymous, url):
    """Criterion: SHALL support CORS — on redirects, linksets and errors alike, with Link and Location exposed."""
    response = anonymous.get(url, headers={"origin": "https://app.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert {"GET", "HEAD", "OPTIONS"} <= {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    exposed = {name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")}
    assert {"link", "location"} <= exposed


def test_cors_preflight(rw, anonymous):
    """Criterion: SHALL support CORS — a browser's preflight (OPTIONS) is answered for any path of the resolver."""
    response = anonymous.options(
        dl(),
        headers={
            "origin": "https://app.example",
            "access-control-request-method": "GET",
            "access-control-request-headers": "accept-language",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "accept-language" in response["Access-Control-Allow-Headers"].lower()
    assert int(response["Access-Control-Max-Age"]) > 0
    assert anonymous.options("/.well-known/gs1resolver").status_code == 204


# --- Compression --------------------------------------------------------------------------------------------------


def test_a_compressed_uri_is_refused_with_a_clear_reason(rw, anonymous):
    """Criterion: SHALL be able to decompress a URI (GS1 Digital Link: Compression) — NOT MET: no maintained Python
    library decompresses GS1 Digital Link URIs. A compressed URI gets a 400 that says so, not a bare 404, and
    nothing that is not one (a mistyped page name) is mistaken for one."""
    response = anonymous.get("/AQnYUc1gmiCBVAtr")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "compressed_not_supported"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert anonymous.get("/organisationz").status_code == 404
    assert anonymous.get("/12345678").status_code == 404
    redirected = anonymous.get("/organisations")  # a page's name without its slash is still sent to the page
    assert (redirected.status_code, redirected["Location"]) == (301, "/organisations/")


# --- Syntax: 400 --------------------------------------------------------------------------------------------------

MALFORMED = {
    "bad check digit": ("/01/04006381000011", "bad_check_digit"),
    "too few digits": ("/01/4006381000", "bad_gtin"),
    "too many digits": ("/01/040063810000101", "bad_gtin"),
    "letters in the GTIN": ("/01/04006381ABC010", "bad_gtin"),
    "all zeros": ("/01/00000000000000", "bad_gtin"),
    "a segment too many": (dl() + "/foo", "odd_path"),
    "key without value": (dl() + "/10", "odd_path"),
    "empty segment": (dl() + "//10/LOT1", "odd_path"),
    "serial before lot": (dl(qualifiers="/21/S1/10/LOT1"), "qualifier_order"),
    "lot twice": (dl(qualifiers="/10/A/10/B"), "qualifier_order"),
    "TPX with a lot": (dl(qualifiers="/235/X1/10/A"), "qualifier_order"),
    "not a qualifier": (dl(qualifiers="/99/ABC"), "bad_qualifier"),
    "data attribute in the path": (dl(qualifiers="/17/261231"), "bad_qualifier"),
    "space in a lot": (dl(qualifiers="/10/LOT%201"), "bad_value"),
    "accent in a serial": (dl(qualifiers="/21/S%C3%A91"), "bad_value"),
    "lot too long": (dl(qualifiers="/10/" + "A" * 21), "bad_value"),
    "impossible expiry date": (dl(query="17=261399"), "bad_attribute"),
    "unknown AI in the query": (dl(query="9999=1"), "unknown_ai"),
    "the GTIN again in the query": (dl(query="01=" + gtin14(PUBLIC)), "duplicate_ai"),
    "another primary key": (f"/01/{gtin14(PUBLIC)}/00/106141412345678908", "bad_qualifier"),
}


@pytest.mark.parametrize("url, code", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_requests_get_400(rw, anonymous, url, code):
    """Criterion: SHALL extract and syntactically validate the URI and report errors with an HTTP response code of
    400 — check digit, lengths, the order of the key qualifiers, character set 82, data attributes."""
    response = anonymous.get(url)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"] and error["details"] == []


def test_errors_are_never_200(rw):
    """Criterion: SHALL NOT use a 200 OK response code with a resource that indicates an error condition — neither
    in JSON nor on the page a browser gets, in any language."""
    client = rw.client()
    for url, status in (("/01/04006381000011", 400), (dl(OUTSIDE), 404), (dl(query="linkType=gs1:epil"), 404)):
        assert client.get(url).status_code == status
        page = client.get(url, headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert page.status_code == status
        assert page["Content-Type"].startswith("text/html")
        assert b'id="resolver-error"' in page.content
    french = client.get("/01/04006381000011", headers={"accept": "application/json", "accept-language": "fr"})
    assert french.status_code == 400 and "GTIN" in french.json()["error"]["message"]


def test_unknown_gtins_get_404(rw, anonymous):
    """A valid GS1 Digital Link URI for which nothing is known is a simple 404 (resolver standard 2.4.1)."""
    response = anonymous.get(dl(OUTSIDE))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# --- Linkset ------------------------------------------------------------------------------------------------------


def test_linkset_by_query_parameter(rw, anonymous):
    """Criterion: SHALL respond to a query parameter of linkType set to linkset (and the former "all") by returning
    the list of links available to the client, as RFC 9264 defines it."""
    for keyword in ("linkset", "all"):
        response = anonymous.get(dl(query=f"linkType={keyword}"))
        assert response.status_code == 200
        assert response["Content-Type"] == LINKSET
        body = json.loads(response.content)
        assert isinstance(body["linkset"], list) and body["linkset"], keyword


def test_linkset_by_accept_header(rw, anonymous):
    """Criterion: SHALL respond to a request with the HTTP Accept header set to application/linkset+json by
    returning the linkset (no redirect)."""
    body = linkset(anonymous, dl())
    assert anonymous.get(dl(), headers={"accept": LINKSET}).status_code == 200
    context = anchors(body)[ROOT + dl()]
    assert hrefs(context, "pip") == [PIP_EN, PIP_FR, public_page()]
    assert hrefs(context, "certificationInfo") == [CERTIFICATE]
    assert hrefs(context, "homepage") == [HOMEPAGE]


def test_linkset_includes_the_links_of_every_level_up_to_the_gtin(rw, anonymous):
    """Criterion: if the request URI includes key qualifiers, any links associated with each level up to the
    primary key SHALL be included in the linkset — each level anchored on its own URI."""
    body = linkset(anonymous, dl(qualifiers="/22/BLUE/10/LOT1/21/S1"))
    found = anchors(body)
    gtin_level, lot_level, serial_level = ROOT + dl(), ROOT + dl(qualifiers="/10/LOT1"), ROOT + dl(qualifiers="/21/S1")
    assert list(found) == [gtin_level, lot_level, serial_level]
    assert hrefs(found[lot_level], "recallStatus") == [RECALL_LOT1]
    assert hrefs(found[serial_level], "dpp") == [DPP_S1]
    assert PIP_EN in hrefs(found[gtin_level], "pip")
    # Another lot or serial inherits the GTIN's links only.
    other = anchors(linkset(anonymous, dl(qualifiers="/10/LOT2/21/S2")))
    assert list(other) == [gtin_level]


def test_the_subject_is_the_uncompressed_canonical_uri(rw, anonymous):
    """Criterion: the URI used as the subject of facts presented SHALL be the uncompressed version — here the
    canonical path (GTIN-14) on this resolver, whatever form the request used."""
    body = linkset(anonymous, f"/01/{PUBLIC}/10/LOT1/")
    assert [context["anchor"] for context in body["linkset"]] == [ROOT + dl(), ROOT + dl(qualifiers="/10/LOT1")]


def test_every_link_has_a_target_a_type_and_a_title(rw, anonymous):
    """Criteria: all links exposed SHALL include the target URL, the link relationship type and a human-readable
    title, and SHOULD include the language; media types SHALL be IANA ones."""
    body = linkset(anonymous, dl(qualifiers="/10/LOT1/21/S1"))
    for context in body["linkset"]:
        for key, targets in context.items():
            if key in {"anchor", "itemDescription"}:
                continue
            assert key.startswith(GS1), key
            for target in targets:
                assert target["href"].startswith(("https://", "http://testserver/")) and target["title"], target
                assert set(target) <= {"href", "title", "type", "hreflang"}
                if "hreflang" in target:
                    assert isinstance(target["hreflang"], list)
    gtin_level = anchors(body)[ROOT + dl()]
    assert {"href": CERTIFICATE, "title": "certificate", "type": "application/pdf"} in gtin_level[
        GS1 + "certificationInfo"
    ]
    assert {"href": PIP_FR, "title": "pip_fr", "hreflang": ["fr"]} in gtin_level[GS1 + "pip"]


def test_the_gs1_vocabulary_is_recognised(rw, anonymous):
    """Criterion: SHALL recognise the GS1 Web vocabulary namespace — link types are its URIs in the linkset, and a
    linkType is understood as a CURIE or as a URI of the vocabulary (either domain)."""
    for spelling in ("gs1:certificationInfo", GS1 + "certificationInfo", "https://gs1.org/voc/certificationInfo"):
        response = anonymous.get(dl(query=f"linkType={spelling}"))
        assert response.status_code == 307 and response["Location"] == CERTIFICATE, spelling


def test_json_ld_context(rw, anonymous):
    """Criterion: the resolver SHOULD include an HTTP Link header pointing to a JSON-LD context file with a rel type of
    http://www.w3.org/ns/json-ld#context; asked for JSON-LD, the context is embedded."""
    response = anonymous.get(dl(), headers={"accept": LINKSET})
    assert (
        '<https://ref.gs1.org/standards/resolver/linkset-context>; rel="http://www.w3.org/ns/json-ld#context"; '
        'type="application/ld+json"'
    ) in response["Link"]
    as_json_ld = anonymous.get(dl(query="linkType=linkset"), headers={"accept": "application/ld+json"})
    assert as_json_ld["Content-Type"] == "application/ld+json"
    assert json.loads(as_json_ld.content)["@context"] == "https://ref.gs1.org/standards/resolver/linkset-context"
    as_json = anonymous.get(dl(query="linkType=linkset"), headers={"accept": "application/json"})
    assert as_json["Content-Type"] == "application/json" and "linkset" in json.loads(as_json.content)


def test_link_header_with_rel_linkset_even_when_redirecting(rw, anonymous):
    """Criterion: SHOULD expose link to the linkset in an HTTP Link header, even when redirecting — and only that
    (listing every link in the header was deprecated in resolver 1.0)."""
    for url in (dl(), dl(qualifiers="/10/LOT1", query="linkType=gs1:recallStatus")):
        response = anonymous.get(url)
        assert response.status_code == 307
        header = response["Link"]
        assert 'rel="linkset"' in header and f"<{ROOT}{dl()}" in header
        assert 'rel="gs1:' not in header
    target = anonymous.get(dl(qualifiers="/10/LOT1"))["Link"].split(">")[0].lstrip("<")
    assert anonymous.get(target.removeprefix(ROOT)).status_code == 200


# --- The default link ----------------------------------------------------------------------------------------------


def default_links(body: dict) -> list[dict]:
    return [target for context in body["linkset"] for target in context.get(GS1 + "defaultLink", [])]


def test_one_default_link_without_optional_attributes(rw, anonymous):
    """Criteria: SHALL recognise one available link as the default for any given request URI; the default link SHALL
    NOT have any optional attributes; gs1:defaultLink SHALL also be described using a descriptive link type."""
    for url in (dl(), dl(qualifiers="/10/LOT1/21/S1"), dl(SPARE)):
        body = linkset(anonymous, url)
        (default,) = default_links(body)
        assert set(default) == {"href", "title"}
        described = [
            target["href"]
            for context in body["linkset"]
            for key, targets in context.items()
            if key.startswith(GS1) and key != GS1 + "defaultLink"
            for target in targets
        ]
        assert default["href"] in described


def test_redirect_to_the_default_link(rw, anonymous):
    """Criterion: SHALL redirect to the default link unless there is information in the request that can be used to
    make a better match — for a visitor, IPM's public page of the sheet (the resolver's own default)."""
    response = anonymous.get(dl())
    assert response.status_code == 307
    assert response["Location"] == public_page()
    (default,) = default_links(linkset(anonymous, dl()))
    assert default["href"] == response["Location"]


def test_the_default_for_a_signed_in_reader_is_the_officers_page(rw):
    """Criterion: SHALL redirect to the default link unless … better match — a signed-in officer who may read the
    sheet is sent to the officer's product page instead of the public one."""
    officer_page = f"{ROOT}/products/{rw.products['public'].pk}/"
    assert rw.client("fr_officer").get(dl())["Location"] == officer_page
    assert rw.client("brand_viewer").get(dl())["Location"] == officer_page
    # Who reads no sheet (a service provider) is a visitor here.
    assert rw.client("provider_admin").get(dl())["Location"] == public_page()


def test_a_default_chosen_by_the_right_holder(rw, anonymous):
    """Criterion: SHALL recognise one available link as the default — the right holder's default link wins over the
    resolver's own, and a more specific level's default over a less specific one's."""
    ResolverLink.objects.filter(pk=rw.links["pip_fr"].pk).update(is_default=True)
    assert anonymous.get(dl())["Location"] == PIP_FR
    assert rw.client("fr_officer").get(dl())["Location"] == PIP_FR
    ResolverLink.objects.filter(pk=rw.links["recall_lot1"].pk).update(is_default=True)
    assert anonymous.get(dl(qualifiers="/10/LOT1"))["Location"] == RECALL_LOT1
    assert anonymous.get(dl(qualifiers="/10/LOT2"))["Location"] == PIP_FR


def test_a_default_at_the_entry_level_or_higher_for_any_uri(rw, anonymous):
    """Criterion: for any request URI, no matter how granular, there SHALL be a default link at the entry level or
    higher up the tree — an unknown batch or serial of a known GTIN redirects like the GTIN."""
    expected = anonymous.get(dl())["Location"]
    for qualifiers in ("/10/NOPE", "/21/NOPE", "/22/V1", "/22/V1/10/L9/21/S9", "/235/TPX1"):
        response = anonymous.get(dl(qualifiers=qualifiers))
        assert (response.status_code, response["Location"]) == (307, expected), qualifiers
    # A GTIN with links of its own but no sheet: the first link is its default.
    assert anonymous.get(dl(SPARE))["Location"] == SPARE_PAGE


# --- linkType -----------------------------------------------------------------------------------------------------


def test_redirect_to_the_requested_link_type(rw, anonymous):
    """Criterion: SHALL redirect to the requested type of link if available — from the most specific level that has
    one (a serial's own link before its GTIN's)."""
    assert anonymous.get(dl(query="linkType=gs1:certificationInfo"))["Location"] == CERTIFICATE
    assert anonymous.get(dl(qualifiers="/10/LOT1", query="linkType=gs1:recallStatus"))["Location"] == RECALL_LOT1
    assert anonymous.get(dl(qualifiers="/21/S1", query="linkType=gs1:dpp"))["Location"] == DPP_S1
    assert anonymous.get(dl(qualifiers="/21/S1", query="linkType=gs1:homepage"))["Location"] == HOMEPAGE
    assert anonymous.get(dl(query="linkType=gs1:defaultLink"))["Location"] == public_page()


def test_404_when_no_link_of_the_requested_type(rw, anonymous):
    """Criterion: SHALL return a 404 Not Found message if a link of the requested type is not available — also for
    a type outside the vocabulary, and for a lot's link asked at another lot."""
    for query, qualifiers in (
        ("linkType=gs1:epil", ""),
        ("linkType=gs1:nosuchlt", ""),
        ("linkType=nonsense", ""),
        ("linkType=gs1:recallStatus", "/10/LOT2"),
    ):
        response = anonymous.get(dl(qualifiers=qualifiers, query=query))
        assert response.status_code == 404, query
        assert response.json()["error"]["code"] == "no_such_link"
        assert 'rel="linkset"' in response["Link"]


def test_accept_language_chooses_among_links_of_one_type(rw, anonymous):
    """Criterion: SHOULD support the use of Accept-Language to disambiguate between multiple links of the same
    linkType — q-values honoured, a regional variant matches its language, a link with no language is preferred to
    one in a language not asked for."""
    pip = dl(query="linkType=gs1:pip")
    assert anonymous.get(pip)["Location"] == PIP_EN  # no preference: the right holder's first
    assert anonymous.get(pip, headers={"accept-language": "fr-CA,fr;q=0.9,en;q=0.5"})["Location"] == PIP_FR
    assert anonymous.get(pip, headers={"accept-language": "fr;q=0.2, en;q=0.8"})["Location"] == PIP_EN
    assert anonymous.get(pip, headers={"accept-language": "de"})["Location"] == public_page()
    # Without linkType the default stays the default, whatever the language.
    assert anonymous.get(dl(), headers={"accept-language": "fr"})["Location"] == public_page()


# --- The query string ---------------------------------------------------------------------------------------------


def test_query_string_passed_on(rw, anonymous):
    """Criterion: by default, SHALL pass on all key=value pairs in the query string of the request URI when
    redirecting — as sent, less the resolver's own keywords (linkType, context)."""
    response = anonymous.get(dl(query="foo=bar&17=261231&utm_source=qr%20code"))
    assert response["Location"] == public_page() + "?foo=bar&17=261231&utm_source=qr%20code"
    response = anonymous.get(dl(qualifiers="/10/LOT1", query="linkType=gs1:recallStatus&foo=bar&context=FR"))
    assert response["Location"] == RECALL_LOT1 + "&foo=bar"  # the target has a query of its own
    assert anonymous.get(dl(query="linkType=gs1:certificationInfo"))["Location"] == CERTIFICATE


# --- The description file -----------------------------------------------------------------------------------------


def test_resolver_description_file(rw, anonymous):
    """Criteria: SHALL provide a resolver description file at /.well-known/gs1resolver; the list of supported primary
    identifiers SHALL be provided in it; a JSON-LD context file SHOULD be declared in it."""
    response = anonymous.get("/.well-known/gs1resolver")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["resolverRoot"] == ROOT
    assert body["supportedPrimaryKeys"] == ["01"]
    assert {"namespace": GS1, "prefix": "gs1:"} in body["supportedLinkType"]
    assert body["jsonLdContextLocation"] == "https://ref.gs1.org/standards/resolver/linkset-context"
    assert body["linkTypeDefaultCanBeLinkset"] is False
    assert body["name"]
    assert anonymous.get("/.well-known/gs1resolver/").status_code == 200


# --- Path forms -----------------------------------------------------------------------------------------------------


def test_trailing_slash_tolerated(rw, anonymous):
    """Criterion: SHOULD tolerate trailing slashes at the end of GS1 Digital Link URIs — the same answer with and
    without one."""
    for qualifiers in ("", "/10/LOT1", "/21/S1"):
        plain, slashed = anonymous.get(dl(qualifiers=qualifiers)), anonymous.get(dl(qualifiers=qualifiers) + "/")
        assert (
            (plain.status_code, plain["Location"])
            == (slashed.status_code, slashed["Location"])
            == (307, plain["Location"])
        )


def test_zero_suppressed_gtins(rw, anonymous):
    """GS1 Digital Link URI syntax 4.1: GTIN-8, -12 and -13 are read as their GTIN-14."""
    assert anonymous.get(f"/01/{PUBLIC}")["Location"] == public_page()
    assert anonymous.get(f"/01/{PUBLIC}").status_code == 307


def test_all_key_qualifiers_supported(rw, anonymous):
    """Criterion: for primary keys that have key qualifiers, all key qualifiers SHALL be supported — CPV (22),
    batch/lot (10), serial (21) in every allowed combination, and the TPX (235)."""
    for qualifiers in (
        "/22/V1",
        "/10/LOT1",
        "/21/S1",
        "/22/V1/10/LOT1",
        "/22/V1/21/S1",
        "/10/LOT1/21/S1",
        "/22/V1/10/LOT1/21/S1",
        "/235/TPX-1",
    ):
        response = anonymous.get(dl(qualifiers=qualifiers))
        assert response.status_code == 307, (qualifiers, response.content)


def test_an_encoded_slash_stays_in_its_value_when_the_server_passes_the_raw_uri(rw, anonymous):
    """Character set 82 has "/": a batch "AB/12" travels as AB%2F12. WSGI decodes the path, so the resolver reads
    the raw request URI when the server passes it (gunicorn's RAW_URI, Apache's REQUEST_URI)."""
    url = dl(qualifiers="/10/AB%2F12", query="linkType=linkset")
    body = json.loads(anonymous.get(url, RAW_URI=url, headers={"accept": LINKSET}).content)
    assert body["linkset"][0]["anchor"] == ROOT + dl()
    assert anonymous.get(url, REQUEST_URI=url).status_code == 200
    assert anonymous.get(url).status_code == 400  # decoded by WSGI: /10/AB/12 is one segment too many


def test_gs1_handled_by_is_not_used(rw, anonymous):
    """Criterion: if supporting redirection based on an MO or Global Company Prefix with no further processing, SHALL
    annotate with gs1:handledBy — NOT APPLICABLE: links for a company prefix are processed like any other (linkset,
    link types), so no gs1:handledBy appears."""
    body = linkset(anonymous, dl(UNKNOWN_IN_RANGE))
    assert hrefs(body["linkset"][0], "homepage") == [HOMEPAGE]
    assert GS1 + "handledBy" not in body["linkset"][0]


# --- What the resolver must not tell ------------------------------------------------------------------------------


def answer(client, url, **headers):
    response = client.get(url, headers=headers)
    return response.status_code, response.get("Location"), response.content if response.status_code == 200 else b""


def test_a_draft_answers_as_a_gtin_ipm_never_heard_of(rw):
    """Drafts are seen only by their right holder's readers: to anyone else the draft's GTIN answers exactly as a
    GTIN of the same range that no sheet holds (the range's public link), never with the sheet or its links."""
    for role in (None, "ma_officer", "fr_officer", "rival_admin", "provider_admin"):
        client = rw.client(role)
        for query in ("", "linkType=linkset", "linkType=gs1:pip"):
            draft = answer(client, dl(DRAFT, query=query))
            unknown = answer(client, dl(UNKNOWN_IN_RANGE, query=query))
            assert draft == (
                unknown[0],
                unknown[1],
                unknown[2].replace(gtin14(UNKNOWN_IN_RANGE).encode(), gtin14(DRAFT).encode()),
            ), (role, query)
        assert b"Secret belt" not in client.get(dl(DRAFT, query="linkType=linkset")).content
    # Its own people are sent to the sheet.
    reader = rw.client("brand_viewer").get(dl(DRAFT))
    assert reader["Location"] == f"{ROOT}/products/{rw.products['draft'].pk}/"


def test_a_country_restricted_sheet_stays_with_its_countries(rw):
    """A sheet shared with France only: French officers are sent to it; the public and Moroccan officers learn
    nothing of it (not its name, not its links)."""
    fr = rw.client("fr_officer").get(dl(FR_ONLY))
    assert fr["Location"] == f"{ROOT}/products/{rw.products['fr_only'].pk}/"
    for role in (None, "ma_officer"):
        client = rw.client(role)
        body = client.get(dl(FR_ONLY, query="linkType=linkset")).content
        assert b"Wallet" not in body and b"brand.example/wallet" not in body
        assert client.get(dl(FR_ONLY, query="linkType=gs1:pip")).status_code == 404
    assert rw.client("ma_officer").get(f"/p/{gtin14(FR_ONLY)}/").status_code == 404


def test_customs_only_links_are_for_signed_in_officers(rw):
    """Links marked customs-only appear only to signed-in officers (and the right holder's own readers)."""
    url = dl(query="linkType=gs1:verificationService")
    assert rw.client().get(url).status_code == 404
    assert rw.client("provider_admin").get(url).status_code == 404
    assert rw.client("rival_admin").get(url).status_code == 404
    for role in ("fr_officer", "ma_viewer", "brand_viewer", "counsel_viewer", "secretariat_viewer"):
        assert rw.client(role).get(url)["Location"] == VERIFY, role
    assert VERIFY.encode() not in rw.client().get(dl(query="linkType=linkset")).content


def test_a_right_holders_range_does_not_speak_for_another_right_holders_gtin(rw, anonymous):
    """A GTIN held by a sheet belongs to that sheet's right holder: the rival's GTIN gets the rival's links only."""
    body = linkset(anonymous, dl(RIVAL))
    links = json.dumps(body)
    assert "rival.example" in links and "brand.example" not in links
