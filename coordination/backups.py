"""Whole-database backup and restore: pg_dump / pg_restore for PostgreSQL, a consistent copy for
SQLite; and the uploaded files (MEDIA_ROOT) as a tar archive beside the database's file. Used by
`manage.py backup` and `manage.py restore` (and `make backup` / `make restore`)."""

import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections

from . import cache

MEDIA_SUFFIX = ".media.tar.gz"


class BackupError(Exception):
    pass


def _postgres_environment(database: dict) -> tuple[list[str], dict]:
    args = []
    if database.get("HOST"):
        args += ["--host", database["HOST"]]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", database["USER"]]
    env = os.environ.copy()
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{command[0]} failed")


def backup_database(*, target: Path, alias: str = "default") -> Path:
    """Writes the whole database to target (a pg_dump custom archive, or a SQLite file)."""
    database = connections[alias].settings_dict
    target.parent.mkdir(parents=True, exist_ok=True)
    if connections[alias].vendor == "postgresql":
        args, env = _postgres_environment(database)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                *args,
                "--file",
                str(target),
                database["NAME"],
            ],
            env,
        )
    elif connections[alias].vendor == "sqlite":
        connections[alias].ensure_connection()
        copy = sqlite3.connect(target)
        connections[alias].connection.backup(copy)
        copy.close()
    else:
        raise BackupError(f"No backup for the {connections[alias].vendor} database.")
    return target


def restore_database(*, source: Path, alias: str = "default") -> None:
    """Replaces the whole database with the backup in source."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    database = connections[alias].settings_dict
    vendor = connections[alias].vendor
    if vendor == "postgresql":
        connections[alias].close()
        args, env = _postgres_environment(database)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                "--dbname",
                database["NAME"],
                str(source),
            ],
            env,
        )
    elif vendor == "sqlite":
        # SQLite's backup API copies page by page into the live connection (in-memory ones too).
        connections[alias].ensure_connection()
        backup = sqlite3.connect(source)
        backup.backup(connections[alias].connection)
        backup.close()
    else:
        raise BackupError(f"No restore for the {vendor} database.")
    cache.forget_everything()  # the data went back in time: no cached value may survive it


def media_archive_for(backup: Path) -> Path:
    """The uploaded files' archive that goes with a database backup: `<backup>.media.tar.gz`."""
    return backup.with_name(backup.name + MEDIA_SUFFIX)


def backup_media(*, target: Path) -> Path:
    """Writes MEDIA_ROOT (every uploaded file) to a gzipped tar at target (empty if none)."""
    media = Path(settings.MEDIA_ROOT)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(target, "w:gz") as archive:
        if media.is_dir():
            for path in sorted(media.rglob("*")):
                archive.add(path, arcname=str(path.relative_to(media)), recursive=False)
    return target


def restore_media(*, source: Path) -> None:
    """Replaces MEDIA_ROOT with the files in the archive; extracted beside it first, so that a
    broken archive leaves the files as they were."""
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=media.parent))
    try:
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(staging, filter="data")
        if media.exists():
            shutil.rmtree(media)
        staging.rename(media)
    except (tarfile.TarError, OSError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"The uploaded files could not be restored: {error}") from error
