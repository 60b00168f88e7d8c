"""Time of ``ipm.gs1.parse_code`` per payload form: the parser runs on every scan, so it must stay far below the
scan endpoint's budget (1,000 requests/s on 2 cores = 2 ms of CPU per request for everything).

    .venv/bin/python bench/gs1_parse.py [--rounds 5] [--number 2000]

Each figure is the best of ``--rounds`` runs of ``--number`` calls (the best run is the one least disturbed by
other work on the machine), in microseconds per call, plus biip's own ``biip.parse`` for comparison.
"""

import argparse
import os
import platform
import sys
import timeit
from pathlib import Path

HERE = Path(__file__).resolve().parent
GS = "\x1d"
DL = "https://id.gs1.org/01/09520123456788/10/ABC123/21/12345?17=180426"
PAYLOADS = {
    "EAN-13": "4006381333931",
    "EAN-13 with ]E0 and CR LF": "]E04006381333931\r\n",
    "EAN-8": "96385074",
    "UPC-E": "04252614",
    "GTIN-14": "10614141000033",
    "bracketed (01)(10)(21)(17)": "(01)09520123456788(10)ABC123(21)12345(17)180426",
    "GS1 DataMatrix ]d2 with GS": "]d20109520123456788" + GS + "10ABC123" + GS + "2112345" + GS + "17180426",
    "GS1-128 ]C1, GS lost (warning)": "]C1010952012345678810ABC1232112345",
    "Digital Link (01) only": "https://id.gs1.org/01/09520123456788",
    "Digital Link (01)(10)(21)?17": DL,
    "plain URL": "https://www.example.com/product/123",
    "text": "hello world",
    "bad check digit": "4006381333932",
    "invalid date in brackets": "(01)09520123456788(17)181301",
    "512 characters of text": "x" * 512,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--number", type=int, default=2000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipm.settings")
    sys.path.insert(0, str(HERE.parent / "src"))
    import biip
    import django

    django.setup()
    from ipm.gs1 import parse_code

    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"best of {args.rounds} × {args.number} calls"
    )
    print(f"{'payload':40} {'parse_code µs':>14} {'biip.parse µs':>14}")
    for name, payload in PAYLOADS.items():
        parse_code(payload).to_dict()  # warm caches (AI look-ups, lazy tables)
        ours = min(timeit.repeat(lambda p=payload: parse_code(p), number=args.number, repeat=args.rounds))
        theirs = min(timeit.repeat(lambda p=payload: biip.parse(p), number=args.number, repeat=args.rounds))
        print(f"{name:40} {ours / args.number * 1e6:14.1f} {theirs / args.number * 1e6:14.1f}")


if __name__ == "__main__":
    main()
