"""The admin is for administrators: officials hold no model permission (theirs ignored zones:
made staff, an official listed and changed every zone's returns there), and reviewers keep only
their view permissions. The app itself decides by group and scope, never by these."""

from django.db import migrations

OFFICIALS = "Officials"
REVIEWERS = "Reviewers"


def administrators_only(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for officials in Group.objects.filter(name=OFFICIALS):
        officials.permissions.clear()
    for reviewers in Group.objects.filter(name=REVIEWERS):
        reviewers.permissions.remove(
            *reviewers.permissions.exclude(codename__startswith="view_")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0006_review_carried_forward"),
        ("reviews", "0002_groups"),
    ]

    operations = [migrations.RunPython(administrators_only, migrations.RunPython.noop)]
