"""Where a request's time goes, in-process (no server, no network): calls the production WSGI application directly.

    .venv/bin/python bench/request_profile.py [--path /api/bench/constant] [--requests 3000] [--profile]

Uses the bench settings and database of ``scan_load.py`` (``IPM_DATABASE_URL``, default ``var/bench/bench.sqlite3``)
with ``IPM_ENVIRONMENT=production``; the body cycles through the same mix of codes. Prints the mean time per request
and, with ``--profile``, the functions that take the most time (cProfile, cumulative and own time).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import secrets
import time

from benchenv import setup_django

OFFICER = "officer-fr-3@bench.test"  # not scan_load.py's, which counts its own scan log rows

os.environ.update({"IPM_ENVIRONMENT": "production", "IPM_SECRET_KEY": secrets.token_urlsafe(48), "IPM_DEBUG": "0"})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", default="/api/bench/constant")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument(
        "--drop", nargs="*", default=[], help="middleware to leave out (dotted paths), to see what each one costs"
    )
    args = parser.parse_args()
    setup_django("scan_settings")
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from scan_load import build_codes

    from ipm.accounts.models import User
    from ipm.accounts.services import create_api_token, revoke_api_token

    unknown = set(args.drop) - set(settings.MIDDLEWARE)
    if unknown:
        parser.error(f"not in MIDDLEWARE: {', '.join(sorted(unknown))}")
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name not in args.drop]
    if os.environ.get("IPM_BENCH_NO_HEALTH_CHECKS"):  # what CONN_HEALTH_CHECKS costs (a SELECT 1 per request)
        from django.db import connections

        connections["default"].settings_dict["CONN_HEALTH_CHECKS"] = False
    application = get_wsgi_application()
    officer = User.objects.get(email=OFFICER)
    api_token, token = create_api_token(officer, name="request profile")
    bodies = [json.dumps({"code": code}).encode() for _kind, code in build_codes(2000, 11)]
    statuses: dict[int, int] = {}

    def call(n: int) -> None:
        body = bodies[n % len(bodies)]
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": args.path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "HTTP_X_FORWARDED_PROTO": "https",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }

        def start_response(status, headers, exc_info=None):
            code = int(status.split()[0])
            statuses[code] = statuses.get(code, 0) + 1

        response = application(environ, start_response)
        b"".join(response)
        response.close()

    try:
        for n in range(200):  # warm-up: imports, caches, translations
            call(n)
        statuses.clear()
        # CPU time, not wall time: on a shared machine, waiting for the CPU would be charged to whatever was running.
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        for n in range(args.requests):
            call(n)
        if profiler:
            profiler.disable()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    finally:
        revoke_api_token(officer, api_token)
    print(
        f"POST {args.path}: {args.requests:,} requests, {elapsed / args.requests * 1e6:,.0f} µs each "
        f"({cpu / args.requests * 1e6:,.0f} µs of CPU){' under the profiler' if profiler else ''}"
        f"{' without ' + ', '.join(args.drop) if args.drop else ''}; "
        f"statuses {statuses}"
    )
    if profiler:
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
            print(out.getvalue())


if __name__ == "__main__":
    main()
