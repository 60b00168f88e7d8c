"""``ipm-reference-provider``: serve the protocol, commission serials from a CSV file, or load the demo's serials.

ipm-reference-provider serve --port 8001 --db var/reference-provider.sqlite3 --secret-file var/reference-provider.secret
ipm-reference-provider commission --db var/reference-provider.sqlite3 --csv serials.csv
ipm-reference-provider seed-demo --db var/reference-provider.sqlite3
"""

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from ipm_reference_provider import demo, registry
from ipm_reference_provider.app import FAULT_MODES, MAX_DELAY_MS, Config, ProviderApp, SecretSource
from ipm_reference_provider.registry import RegistryError, Store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ipm-reference-provider", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="answer POST /verify and the registry API over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8001, help="0: any free port (the URL is printed)")
    serve.add_argument("--db", required=True, help="the SQLite file of the registry (created if missing)")
    serve.add_argument(
        "--secret-file",
        help="shared secrets, one per line (two during a rotation); re-read when it changes. "
        "Or IPM_REFERENCE_PROVIDER_SECRET (comma-separated)",
    )
    serve.add_argument(
        "--admin-token",
        default=os.environ.get("IPM_REFERENCE_PROVIDER_ADMIN_TOKEN", ""),
        help="bearer token of the registry API and /_faults (env IPM_REFERENCE_PROVIDER_ADMIN_TOKEN); none: off",
    )
    serve.add_argument("--clone-window-hours", type=float, default=24.0)
    serve.add_argument("--delay-ms", type=int, default=0, help="fault injection: answer /verify this much later")
    serve.add_argument("--fault", choices=FAULT_MODES, default="none", help="fault injection: corrupt /verify answers")
    serve.add_argument("--seed-demo", action="store_true", help="load the demo's serials before serving")
    serve.add_argument("--log-level", default="INFO")

    commission = commands.add_parser("commission", help="commission the serials of a CSV file (gtin,serial,lot,expiry)")
    commission.add_argument("--db", required=True)
    commission.add_argument("--csv", required=True, type=Path)

    seed = commands.add_parser("seed-demo", help="load the demo's serials (idempotent)")
    seed.add_argument("--db", required=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "commission":
        try:
            result = registry.commission(Store(args.db), registry.csv_rows(args.csv.read_text(encoding="utf-8-sig")))
        except (OSError, UnicodeDecodeError) as error:
            sys.exit(f"cannot read {args.csv}: {error}")
        except RegistryError as refused:
            print(refused.message, file=sys.stderr)
            for problem in refused.errors:
                print(f"  line {problem.get('line', '?')}: {problem['message']}", file=sys.stderr)
            return 1
        print(json.dumps(result))
        return 0
    if args.command == "seed-demo":
        print(json.dumps(demo.seed(Store(args.db))))
        return 0
    return _serve(args)


def _serve(args) -> int:
    from ipm_reference_provider.app import secrets_from_environment
    from ipm_reference_provider.server import serve

    logging.basicConfig(
        level=args.log_level.upper(), stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if not 0 <= args.delay_ms <= MAX_DELAY_MS:
        sys.exit(f"--delay-ms is 0 to {MAX_DELAY_MS}")
    try:
        secrets = SecretSource(args.secret_file, secrets_from_environment())
    except ValueError as error:
        sys.exit(f"ipm-reference-provider: {error}")
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    config = Config(
        db=args.db,
        secrets=secrets,
        admin_token=args.admin_token,
        clone_window_hours=args.clone_window_hours,
        delay_ms=args.delay_ms,
        fault=args.fault,
    )
    app = ProviderApp(config)
    if args.seed_demo:
        demo.seed(app.store)
    if not args.admin_token:
        logging.getLogger("ipm_reference_provider").warning("no --admin-token: the registry API is off")

    def ready(url):
        # The one line on standard output: whoever started the process (tests, make demo) reads the URL here.
        print(f"ipm-reference-provider listening on {url}", flush=True)

    serve(app, args.host, args.port, on_ready=ready)
    return 0


if __name__ == "__main__":
    sys.exit(main())
