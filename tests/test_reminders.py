"""Reminders by e-mail (`manage.py send_reminders`): each official one digest of their zones'
unfinished returns near or past the due date of a year not yet locked, each reviewer one of the
returns waiting; in the recipient's language; once a day, recorded; a user can switch them off;
--dry-run sends and records nothing. Django's locmem backend (pytest-django) holds the mail."""

import datetime
import io
import shutil

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from coordination.models import UserPreference
from coordination.roles import REVIEWERS
from reviews.models import AnnualReturn, ReminderSent

from . import factories

YEAR = 2025
DAY = datetime.date(2026, 2, 15)
Status = AnnualReturn.Status


@pytest.fixture
def season(settings, official_a, official_b, reviewer, enterprise_a, enterprise_b, zone_a):
    """2025 due on 31 January 2026, locked after 31 March: on 15 February zone A has a missing
    and a returned return, zone B a submitted one."""
    settings.SITE_URL = "https://tracker.example.gov.vn"
    settings.RETURNS_LOCK = "03-31"  # earlier years are locked: only 2025 is chased
    factories.ReportingYearFactory(
        year=YEAR, opens_on="2026-01-01", due_on="2026-01-31", locks_on="2026-03-31"
    )
    for user in (official_a, official_b, reviewer):
        user.email = f"{user.username}@example.gov.vn"
        user.save()
    factories.AnnualReturnFactory(
        enterprise=factories.EnterpriseFactory(zone=zone_a, name="Công ty Trả lại"),
        year=YEAR,
        status=Status.RETURNED,
    )
    factories.AnnualReturnFactory(enterprise=enterprise_b, year=YEAR, status=Status.SUBMITTED)


def send(day: str) -> None:
    call_command("send_reminders", date=day, stdout=io.StringIO())


def mail_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def test_each_official_gets_one_digest_of_their_zones_only(
    season, official_a, official_b, enterprise_a, enterprise_b
):
    send("2026-02-15")
    (message,) = mail_to(official_a)
    assert enterprise_a.name in message.body
    assert "Công ty Trả lại" in message.body
    assert enterprise_b.name not in message.body
    assert f"https://tracker.example.gov.vn/enterprises/{enterprise_a.pk}/returns/2025/" in (
        message.body
    )
    assert not mail_to(official_b)  # zone B's only return is submitted: nothing to complete


def test_each_reviewer_gets_the_returns_waiting(season, reviewer, enterprise_b):
    send("2026-02-15")
    (message,) = mail_to(reviewer)
    assert enterprise_b.name in message.body


def test_nothing_is_sent_twice_a_day_and_each_digest_is_recorded(season, official_a):
    send("2026-02-15")
    sent = len(mail.outbox)
    send("2026-02-15")
    assert len(mail.outbox) == sent
    record = ReminderSent.objects.get(user=official_a)
    assert (record.day, record.kind, record.returns) == (DAY, "official", 2)
    send("2026-02-16")
    assert len(mail.outbox) == 2 * sent


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")
def test_the_digest_is_in_the_recipients_language(season, official_a, reviewer):
    UserPreference.objects.create(user=official_a, language="vi")
    UserPreference.objects.create(user=reviewer, language="en")
    send("2026-02-15")
    (official_mail,) = mail_to(official_a)
    (reviewer_mail,) = mail_to(reviewer)
    assert "Bị trả lại" in official_mail.body  # the returned return's status, in Vietnamese
    assert "Theo dõi phối hợp" in official_mail.body
    assert "Coordination Tracker" in reviewer_mail.body
    assert reviewer_mail.subject == "1 return waiting for your review"


def test_nothing_before_the_reminder_window_nor_after_the_lock(season, official_a, settings):
    settings.REMINDER_DAYS_BEFORE_DUE = 7
    send("2026-01-10")
    assert not mail_to(official_a)
    send("2026-04-01")
    assert not mail_to(official_a)
    send("2026-01-25")
    assert mail_to(official_a)


def test_a_user_switches_reminders_off(season, official_a):
    client = factories.logged_in(official_a)
    client.post(reverse("reminder_settings"), {})
    assert "checked" not in client.get(reverse("reminder_settings")).content.decode()
    send("2026-02-15")
    assert not mail_to(official_a)
    client.post(reverse("reminder_settings"), {"reminders": "on"})
    send("2026-02-16")
    assert mail_to(official_a)


def test_a_dry_run_sends_and_records_nothing(season, capsys):
    call_command("send_reminders", date="2026-02-15", dry_run=True)
    assert not mail.outbox
    assert not ReminderSent.objects.exists()
    assert "official_a@example.gov.vn" in capsys.readouterr().out


def test_one_person_in_both_groups_gets_both_digests_each_day(season, official_a):
    official_a.groups.add(Group.objects.get(name=REVIEWERS))
    send("2026-02-15")
    assert len(mail_to(official_a)) == 2
    send("2026-02-16")
    assert len(mail_to(official_a)) == 4
    assert ReminderSent.objects.filter(user=official_a).count() == 4
