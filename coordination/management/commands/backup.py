from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coordination.backups import BackupError, backup_database, backup_media, media_archive_for


class Command(BaseCommand):
    help = (
        "Writes the whole database to a file under backups/ (or --output), and the uploaded "
        "files (MEDIA_ROOT) to <that file>.media.tar.gz beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="The file to write.")

    def handle(self, *args, output: Path | None, **options):
        target = output or Path("backups") / f"coordination-{timezone.now():%Y%m%d-%H%M%S}.backup"
        try:
            backup_database(target=target)
            files = backup_media(target=media_archive_for(target))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target} and {files}"))
