"""The Vietnamese and Hindi catalogues are complete and current: every string a person reads
in the code and templates has a real translation, none fuzzy."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("vi", "hi")
SOURCES = ("coordination", "enterprises", "reviews", "templates", "manage.py")

pytestmark = pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="Debian's gettext (msgfmt) is not installed"
)


def _statistics(po_file: Path) -> str:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(po_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def _assert_complete(po_file: Path) -> None:
    statistics = _statistics(po_file)
    assert re.match(r"\d+ translated messages?\.$", statistics.strip()), (
        f"{po_file}: {statistics.strip()}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    _assert_complete(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_covers_every_string_in_the_code(tmp_path, language):
    """makemessages over a copy of the tree adds no entry that is left untranslated."""
    for name in (*SOURCES, "locale"):
        source = ROOT / name
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, tmp_path / name)
    env = {**os.environ, "DEBUG": "on", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", language, "--no-location", "-v0"],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    _assert_complete(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po")
