"""``parse_code`` must never raise, nor fall back on its catch-all, whatever arrives: random bytes, random GS1-ish
strings, and valid payloads damaged one character at a time. (hypothesis is not a dependency; a seeded random loop
is enough to find a crash and reproducible when it does.)"""

import json
import logging
import random

import pytest

from ipm.gs1 import MAX_CODE_LENGTH, ParsedCode, parse_code

GS = "\x1d"
SEEDS = [
    "4006381333931",
    "96385074",
    "01234565",
    "]E04006381333931",
    "(01)09520123456788(10)ABC123(21)12345(17)180426",
    "]d20109520123456788" + GS + "10ABC123" + GS + "2112345" + GS + "17180426",
    "]C101034531200000111719112510ABCD1234",
    "https://id.gs1.org/01/09520123456788/10/ABC123/21/12345?17=180426",
    "https://example.com/gtin/09520123456788/lot/ABC/ser/1?17=180400&3103=000123",
    "(00)006141411234567890(02)10614141000033(37)25",
    "[)>\x1e05\x1d0109520123456788\x1d10ABC123\x1e\x04",
]
ALPHABET = "0123456789()]/?=&%#<>{}[]^\\ABCDEFGHIJKLMNOPQRSTUVWXYZabcdexyz:.-_ \t\r\n" + GS + "\x1e\x04\x00é٣４\ufffd"
PREFIXES = ["", "]E0", "]E4", "]C1", "]d2", "]Q3", "]Q1", "]e0", "]I1", "]Y9", "]", "(", "https://", "http://x/01/"]


def random_payloads(rng: random.Random, count: int):
    for _ in range(count):
        kind = rng.randrange(4)
        if kind == 0:
            yield bytes(rng.randrange(256) for _ in range(rng.randrange(40))).decode("latin-1")
        elif kind == 1:
            body = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(60)))
            yield rng.choice(PREFIXES) + body
        else:
            chars = list(rng.choice(SEEDS))
            for _ in range(rng.randrange(1, 4)):
                position = rng.randrange(len(chars) + 1)
                operation = rng.randrange(3)
                if operation == 0 and position < len(chars):
                    del chars[position]
                elif operation == 1:
                    chars.insert(position, rng.choice(ALPHABET))
                elif position < len(chars):
                    chars[position] = rng.choice(ALPHABET)
            yield "".join(chars)


def test_random_and_damaged_payloads_never_break_the_parser(caplog):
    rng = random.Random(20260404)
    with caplog.at_level(logging.ERROR, logger="ipm.gs1.parsing"):
        for payload in random_payloads(rng, 6000):
            parsed = parse_code(payload)
            assert isinstance(parsed, ParsedCode)
            assert parsed.raw == payload
            json.dumps(parsed.to_dict(), ensure_ascii=False).encode("utf-8")
            if parsed.gtin is not None:
                assert len(parsed.gtin) == 14 and parsed.gtin.isdigit()
    assert caplog.records == [], "the catch-all caught an exception: a bug to fix"


@pytest.mark.parametrize("payload", [None, b"4006381333931", bytearray(b"\xff\xfe"), 4006381333931])
def test_what_is_not_a_string_is_still_answered(payload):
    parsed = parse_code(payload)
    assert isinstance(parsed, ParsedCode)


def test_the_length_limit_is_checked_before_anything_else():
    assert "too_long" not in [problem.code for problem in parse_code("4" * MAX_CODE_LENGTH).problems]
    assert parse_code("4" * (MAX_CODE_LENGTH + 1)).problems[0].code == "too_long"
