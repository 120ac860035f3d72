from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coordination.backups import BackupError, media_archive_for, restore_database, restore_media


class Command(BaseCommand):
    help = (
        "Replaces the whole database with a backup made by `manage.py backup`, and the uploaded "
        "files with the archive beside it (a backup made before files were kept has none: the "
        "files are then left as they are)."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="The backup file to restore.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, backup: Path, yes: bool, **options):
        if not yes and input(f"Replace the whole database with {backup}? [y/N] ").lower() != "y":
            raise CommandError("Nothing restored.")
        try:
            restore_database(source=backup)
            files = media_archive_for(backup)
            if files.is_file():
                restore_media(source=files)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Database restored from {backup}"))
        if files.is_file():
            self.stdout.write(self.style.SUCCESS(f"Uploaded files restored from {files}"))
        else:
            self.stdout.write(f"{files} does not exist (an older backup): files left as they are.")
