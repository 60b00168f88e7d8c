"""Production refuses an unsafe start; the demo (which publishes its passwords) refuses production. Each case runs
in a fresh interpreter, because settings are read once per process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD_KEY = "k" * 20 + "-production-secret-" + "z" * 20
IPM = Path(sys.executable).with_name("ipm")


def run(args, tmp_path, **env):
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("IPM_", "DJANGO_SETTINGS_MODULE"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "ipm.settings",
            "IPM_VAR_DIR": str(tmp_path),
            "IPM_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            **env,
        }
    )
    return subprocess.run(args, capture_output=True, text=True, env=environment, timeout=120)


def import_settings(tmp_path, **env):
    return run([sys.executable, "-c", "import django; django.setup(); print('started')"], tmp_path, **env)


@pytest.mark.parametrize(
    "env, message",
    [
        ({}, "Production needs IPM_SECRET_KEY"),
        ({"IPM_SECRET_KEY": "ipm-development-key-never-use-in-production"}, "Production needs IPM_SECRET_KEY"),
        ({"IPM_SECRET_KEY": "too-short"}, "Production needs IPM_SECRET_KEY"),
        ({"IPM_SECRET_KEY": GOOD_KEY, "IPM_DEBUG": "1"}, "Production refuses to start with IPM_DEBUG on."),
    ],
)
def test_production_refuses_an_unsafe_start(tmp_path, env, message):
    result = import_settings(tmp_path, IPM_ENVIRONMENT="production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
    assert "started" not in result.stdout


def test_production_starts_with_a_real_key(tmp_path):
    result = import_settings(tmp_path, IPM_ENVIRONMENT="production", IPM_SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_an_unknown_environment_is_refused(tmp_path):
    result = import_settings(tmp_path, IPM_ENVIRONMENT="prod")
    assert result.returncode != 0
    assert "IPM_ENVIRONMENT must be development, test or production" in result.stderr


def test_production_settings_are_safe(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, "
        "s.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN)"
    )
    result = run([sys.executable, "-c", code], tmp_path, IPM_ENVIRONMENT="production", IPM_SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "False"]


def test_the_demo_refuses_production(tmp_path):
    result = run([str(IPM), "demo"], tmp_path, IPM_ENVIRONMENT="production", IPM_SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "refuses to run with production settings" in result.stderr
    # It stopped before touching the database.
    assert not (tmp_path / "db.sqlite3").exists() or (tmp_path / "db.sqlite3").stat().st_size == 0


def test_the_demo_runs_in_development(tmp_path):
    result = run([str(IPM), "demo"], tmp_path, IPM_ENVIRONMENT="development")
    assert result.returncode == 0, result.stderr
    assert "Demo data loaded" in result.stdout
