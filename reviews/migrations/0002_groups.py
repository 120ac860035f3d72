"""Creates the three groups with their model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OUR_APPS = ("coordination", "enterprises", "reviews")
# Administrators also unlock accounts (axes) and reset lost two-factor devices (otp_totp).
ADMIN_APPS = (*OUR_APPS, "auth", "axes", "otp_totp")

REVIEWER_PERMS = {
    "view": "*",
    "change": ("annualreturn", "programmereview", "reviewsection", "reviewsignature"),
    "add": ("programmereview", "reviewsection", "reviewsignature"),
}
OFFICIAL_PERMS = {
    "view": ("enterprise", "organisation", "annualreturn", "organisationrating", "zone"),
    "change": ("enterprise", "organisation", "annualreturn", "organisationrating"),
    "add": ("enterprise", "organisation", "annualreturn", "organisationrating"),
}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label__in=OUR_APPS)

    def pick(spec):
        chosen = Permission.objects.none()
        for action, models in spec.items():
            qs = ours.filter(codename__startswith=f"{action}_")
            if models != "*":
                qs = qs.filter(content_type__model__in=models)
            chosen = chosen | qs
        return chosen

    admins, _ = Group.objects.get_or_create(name="Administrators")
    admins.permissions.set(
        Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
    )
    reviewers, _ = Group.objects.get_or_create(name="Reviewers")
    reviewers.permissions.set(pick(REVIEWER_PERMS))
    officials, _ = Group.objects.get_or_create(name="Officials")
    officials.permissions.set(pick(OFFICIAL_PERMS))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Administrators", "Reviewers", "Officials"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0002_user_preference"),
        ("enterprises", "0001_initial"),
        ("reviews", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
