"""`manage.py backup` and `restore` round-trip the whole database, every table, and the uploaded
files (MEDIA_ROOT); a backup made before files were kept (the database alone) still restores."""

import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import connection

from . import factories


def _every_table():
    """Every row of every model, serialised, so that two states can be compared whole."""
    return {
        model._meta.label: serializers.serialize("json", model.objects.order_by("pk"))
        for model in apps.get_models()
    }


def _every_file(settings) -> dict[str, bytes]:
    media = Path(settings.MEDIA_ROOT)
    return {
        str(path.relative_to(media)): path.read_bytes()
        for path in media.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def needs_pg_dump():
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_gives_back_every_table_and_file(tmp_path, settings, needs_pg_dump):
    returned = factories.AnnualReturnFactory(year=2024)
    factories.OrganisationFactory(enterprise=returned.enterprise)
    review = factories.ProgrammeReviewFactory()
    copy = factories.signed_copy_of(review, content=b"%PDF-1.7\nsigned by both\n%%EOF\n")
    before, files = _every_table(), _every_file(settings)
    assert list(files.values()) == [b"%PDF-1.7\nsigned by both\n%%EOF\n"]
    backup = tmp_path / "db.backup"

    call_command("backup", output=backup)
    assert (tmp_path / "db.backup.media.tar.gz").is_file()
    returned.enterprise.organisations.all().delete()
    returned.delete()
    factories.EnterpriseFactory(name="Added after the backup")
    Path(copy.file.path).write_bytes(b"overwritten")
    factories.signed_copy_of(review, content=b"%PDF-1.7\nadded after\n")
    assert _every_table() != before
    assert _every_file(settings) != files

    call_command("restore", backup, yes=True)
    assert _every_table() == before
    assert _every_file(settings) == files


@pytest.mark.django_db(transaction=True)
def test_a_backup_without_files_still_restores(tmp_path, settings, needs_pg_dump):
    """Backups made before the signed copies were kept have no files' archive."""
    factories.ProgrammeReviewFactory()
    before = _every_table()
    backup = tmp_path / "db.backup"
    call_command("backup", output=backup)
    (tmp_path / "db.backup.media.tar.gz").unlink()
    factories.EnterpriseFactory(name="Added after the backup")
    kept = factories.signed_copy_of(factories.ProgrammeReviewFactory())
    files = _every_file(settings)

    call_command("restore", backup, yes=True)
    assert _every_table() == before
    assert _every_file(settings) == files  # left as they were
    assert Path(kept.file.path).is_file()


def test_restore_of_a_missing_file_changes_nothing(tmp_path, enterprise_a):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", tmp_path / "nope.backup", yes=True)
    assert enterprise_a.__class__.objects.filter(pk=enterprise_a.pk).exists()
