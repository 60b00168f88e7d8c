"""Latency of the reference provider's ``POST /verify`` (a real process, real HTTP on loopback), so that the
Connected scan-to-verdict figure (bench/connected_verify.py) can tell the provider's own share from IPM's.

    .venv/bin/python bench/reference_provider.py [--requests 2000] [--clients 1,4] [--registry 100000]

Prints p50/p95/p99 and throughput of signed verifications of commissioned serials, with a registry of
``--registry`` serials (commissioned first, by CSV), each client sending its requests one after the other.
"""

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT_DIR), str(PROJECT_DIR / "src")]

from ipm.connected.signing import new_secret  # noqa: E402
from tests.reference_provider.process import request_body, start_reference_provider  # noqa: E402

GTIN = "04098765001017"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", default="1,4")
    parser.add_argument("--registry", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        provider = start_reference_provider(Path(directory), new_secret())
        try:
            csv = "gtin,serial,lot,expiry\n" + "".join(f"{GTIN},B{i},L1,2030-12-31\n" for i in range(args.registry))
            started = time.perf_counter()
            status, answer = provider.call("POST", "/serials.csv", csv.encode(), content_type="text/csv")
            assert status == 201, answer
            print(f"commissioned {args.registry} serials by CSV in {time.perf_counter() - started:.2f} s")
            countries = ["FR", "MA", "BR", "BE", "CH", "ES"]
            for clients in (int(c) for c in args.clients.split(",")):
                per_client = args.requests // clients
                timings: list[float] = []
                lock = threading.Lock()

                def run(client: int, per_client=per_client, timings=timings, lock=lock) -> None:
                    mine = []
                    for i in range(per_client):
                        body = request_body(
                            GTIN,
                            f"B{(client * per_client + i) % args.registry}",
                            "L1",
                            "2030-12-31",
                            country=countries[i % len(countries)],
                            request_id=str(uuid.uuid4()),
                        )
                        data = json.dumps(body).encode()
                        t0 = time.perf_counter()
                        status, *_ = provider.verify(data)
                        mine.append(time.perf_counter() - t0)
                        assert status == 200
                    with lock:
                        timings.extend(mine)

                threads = [threading.Thread(target=run, args=(c,)) for c in range(clients)]
                started = time.perf_counter()
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                elapsed = time.perf_counter() - started
                ms = sorted(t * 1000 for t in timings)
                q = statistics.quantiles(ms, n=100)
                print(
                    f"/verify, {clients} client(s), {len(ms)} requests: p50 {q[49]:.2f} ms, p95 {q[94]:.2f} ms, "
                    f"p99 {q[98]:.2f} ms, {len(ms) / elapsed:.0f} verifications/s"
                )
        finally:
            provider.stop()


if __name__ == "__main__":
    main()
