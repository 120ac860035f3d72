"""`python manage.py load_demo`: the demo data set (see reviews.sample_data.demo); running it twice
changes nothing."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination.selectors import two_factor_required
from reviews.sample_data import demo


class Command(BaseCommand):
    help = gettext_lazy(
        "Loads the demo data: the Lào Cai coordination programme 2023–2025, its zones, about 150 "
        "enterprises with organisations and returns for 2022–2025, the one-year review, a draft "
        "final review and the users admin, official and reviewer. Running it again changes "
        "nothing."
    )

    def handle(self, *args, **options) -> None:
        summary = demo.install_demo()
        self.stdout.write(
            _(
                "Demo data: %(enterprises)d enterprises in %(zones)d zones, %(organisations)d "
                "organisations, %(returns)d annual returns."
            )
            % {
                "enterprises": summary.enterprises,
                "zones": summary.zones,
                "organisations": summary.organisations,
                "returns": summary.returns,
            }
        )
        self.stdout.write(
            _("%(created)d rows created, %(updated)d updated; the rest was already in place.")
            % {"created": summary.created, "updated": summary.updated}
        )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Open %(url)s and log in as admin, official or reviewer with the password %(password)s"
                )
                % {"url": f"{settings.SITE_URL}/", "password": demo.DEMO_PASSWORD}
            )
        )
        two_factor = [
            user.username
            for user in get_user_model().objects.filter(username__in=demo.USERNAMES)
            if two_factor_required(user=user)
        ]
        if two_factor:
            self.stdout.write(
                _(
                    "%(users)s will be asked to set up two-factor login with an authenticator "
                    "app when they first log in."
                )
                % {"users": ", ".join(sorted(two_factor))}
            )
        self.stdout.write(
            self.style.WARNING(
                _(
                    "Demo only: these users and this password must never reach a real server; "
                    "delete them or change their passwords."
                )
            )
        )
