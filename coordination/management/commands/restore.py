from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coordination.backups import BackupError, restore_database


class Command(BaseCommand):
    help = "Replaces the whole database with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="The backup file to restore.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, backup: Path, yes: bool, **options):
        if not yes and input(f"Replace the whole database with {backup}? [y/N] ").lower() != "y":
            raise CommandError("Nothing restored.")
        try:
            restore_database(source=backup)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Database restored from {backup}"))
