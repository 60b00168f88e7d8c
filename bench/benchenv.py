"""What the benchmarks that share a generated catalogue have in common: which database, and Django set up for it.

The default database is a SQLite file of its own (``var/bench/bench.sqlite3``), never the demo's ``var/ipm.sqlite3``;
set ``IPM_DATABASE_URL`` to use another one (e.g. ``postgres://postgres@127.0.0.1:5432/ipm_bench``).
"""

import os
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
BENCH_VAR_DIR = PROJECT_DIR / "var" / "bench"
DEFAULT_DATABASE_URL = f"sqlite:///{BENCH_VAR_DIR / 'bench.sqlite3'}"


def bench_environment() -> dict[str, str]:
    """The environment variables a bench process (or a server it starts) runs with."""
    BENCH_VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "IPM_DATABASE_URL": os.environ.get("IPM_DATABASE_URL") or DEFAULT_DATABASE_URL,
        "IPM_VAR_DIR": os.environ.get("IPM_VAR_DIR") or str(BENCH_VAR_DIR),
        "IPM_DEBUG": "0",
    }


def setup_django(settings_module: str = "ipm.settings") -> None:
    os.environ.update(bench_environment())
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    for path in (str(PROJECT_DIR / "src"), str(BENCH_DIR)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version} ({connection.settings_dict['NAME']})"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"PostgreSQL {version} (database {connection.settings_dict['NAME']})"


def database_size_bytes() -> int:
    from django.db import connection

    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        return sum(p.stat().st_size for p in (name, Path(f"{name}-wal")) if p.exists())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def machine_label() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {model}"
