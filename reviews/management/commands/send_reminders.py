"""`python manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]`: the day's reminder
digests (reviews.services.reminders), run daily by a timer (docs/deploy.md)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reviews.services.reminders import send_reminders


class Command(BaseCommand):
    help = gettext_lazy(
        "Sends each official a digest of their zones' unfinished returns near or past the due "
        "date, and each reviewer a digest of the returns waiting for review; nothing twice a day."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD; default today")
        parser.add_argument("--dry-run", action="store_true", help="say what would be sent")

    def handle(self, *args, date=None, dry_run=False, **options) -> None:
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(_("--date takes a day as YYYY-MM-DD.")) from error
        digests = send_reminders(day=day, dry_run=dry_run)
        for digest in digests:
            self.stdout.write(
                _("%(user)s <%(email)s>: %(kind)s, %(count)s returns")
                % {
                    "user": digest.user.get_username(),
                    "email": digest.user.email,
                    "kind": digest.kind,
                    "count": digest.total,
                }
            )
        message = (
            _("%(count)s reminders would be sent.") if dry_run else _("%(count)s reminders sent.")
        )
        self.stdout.write(message % {"count": len(digests)})
