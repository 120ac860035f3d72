"""The benchmark's environment: its own PostgreSQL database (`coordination_bench`), DEBUG off,
the production settings with the static files in `.bench/` (bench.settings). A harness started
outside it creates the database if it is missing and runs itself again inside it."""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from django.conf import settings

SETTINGS = "bench.settings"
BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coordination_bench"
)
BASE_DIR = Path(settings.BASE_DIR)
WORK_DIR = BASE_DIR / ".bench"


def inside() -> bool:
    return os.environ.get("DJANGO_SETTINGS_MODULE") == SETTINGS


def relaunch(module: str, args: list[str], work_dir: Path = WORK_DIR) -> None:
    """Creates the benchmark database if it is missing and runs `python -m module args` again
    inside the benchmark's environment; exits with its exit code."""
    url = urlsplit(BENCH_DATABASE_URL)
    name = url.path.lstrip("/")
    try:
        with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as admin:
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        raise SystemExit(f"PostgreSQL is not reachable at {BENCH_DATABASE_URL}: {error}") from error
    work_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": BENCH_DATABASE_URL,
        "DEBUG": "off",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "off",
        "SESSION_COOKIE_SECURE": "off",
        "CSRF_COOKIE_SECURE": "off",
        "SECURE_HSTS_SECONDS": "0",
        "BENCH_STATIC_ROOT": str(work_dir / "static"),
        "PYTHONUNBUFFERED": "1",
    }
    argv = [sys.executable, "-m", module, *args]
    raise SystemExit(subprocess.run(argv, cwd=BASE_DIR, env=env, check=False).returncode)
