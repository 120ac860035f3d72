"""The daily reminder e-mails (`manage.py send_reminders`): one digest a day to each official
with unfinished returns near or past their due date, and to each reviewer with returns waiting,
in the person's language; each sent digest is recorded (ReminderSent), so a second run on the
same day sends nothing again."""

import datetime
import logging
import smtplib
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext

from coordination.roles import OFFICIALS, REVIEWERS
from coordination.selectors import preferred_language

from ..models import ReminderSent
from ..selectors.reminders import Digest, official_digest, reviewer_digest

logger = logging.getLogger(__name__)

DIGESTS = {
    ReminderSent.Kind.OFFICIAL: (OFFICIALS, official_digest),
    ReminderSent.Kind.REVIEWER: (REVIEWERS, reviewer_digest),
}


def recipients(kind: str, day: datetime.date) -> Iterator:
    """The active users of the kind's group with an e-mail address who have not switched
    reminders off and got no digest of the kind on the day."""
    group, _digest = DIGESTS[kind]
    return (
        get_user_model()
        .objects.filter(groups__name=group, is_active=True)
        .exclude(email="")
        .exclude(preference__reminders=False)
        .exclude(Exists(ReminderSent.objects.filter(user=OuterRef("pk"), day=day, kind=kind)))
        .distinct()
        .order_by("pk")
    )


def _language(user) -> str:
    return preferred_language(user=user) or settings.LANGUAGE_CODE


def render_digest(digest: Digest, *, day: datetime.date) -> tuple[str, str]:
    """The subject and body of a digest, in the active language."""
    template = f"reviews/email/{digest.kind}_digest.txt"
    context = {"digest": digest, "day": day, "site_url": settings.SITE_URL}
    if digest.kind == ReminderSent.Kind.OFFICIAL:
        subject = ngettext(
            "%(count)s return to complete", "%(count)s returns to complete", digest.total
        )
    else:
        subject = ngettext(
            "%(count)s return waiting for your review",
            "%(count)s returns waiting for your review",
            digest.total,
        )
    return subject % {"count": digest.total}, render_to_string(template, context)


def send_reminders(*, day: datetime.date, dry_run: bool = False) -> list[Digest]:
    """Sends the day's digests (none where there is nothing to say) and records each; with
    dry_run, only says what would be sent. The digests sent (or to send)."""
    sent = []
    for kind, (_group, build) in DIGESTS.items():
        for user in recipients(kind, day):
            with translation.override(_language(user)):
                digest = build(user=user, day=day)
                if not digest.total:
                    continue
                subject, body = render_digest(digest, day=day)
            if not dry_run and not _send_once(digest, day=day, subject=subject, body=body):
                continue
            sent.append(digest)
    return sent


def _send_once(digest: Digest, *, day: datetime.date, subject: str, body: str) -> bool:
    """Records the digest, then sends it; another run that recorded it first wins, and a
    failed send leaves no record (the next run tries again) and does not stop the others."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                user=digest.user,
                day=day,
                kind=digest.kind,
                email=digest.user.email,
                returns=digest.total,
            )
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [digest.user.email])
    except IntegrityError:
        return False
    except (OSError, smtplib.SMTPException):
        logger.exception("Reminder to %s not sent", digest.user.email)
        return False
    return True
