"""`manage.py backup` and `restore` round-trip the whole database, every table."""

import shutil

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


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_gives_back_every_table(tmp_path):
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    returned = factories.AnnualReturnFactory(year=2024)
    factories.OrganisationFactory(enterprise=returned.enterprise)
    factories.ProgrammeReviewFactory()
    before = _every_table()
    backup = tmp_path / "db.backup"

    call_command("backup", output=backup)
    returned.enterprise.organisations.all().delete()
    returned.delete()
    factories.EnterpriseFactory(name="Added after the backup")
    assert _every_table() != before

    call_command("restore", backup, yes=True)
    assert _every_table() == before


def test_restore_of_a_missing_file_changes_nothing(tmp_path, enterprise_a):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", tmp_path / "nope.backup", yes=True)
    assert enterprise_a.__class__.objects.filter(pk=enterprise_a.pk).exists()
