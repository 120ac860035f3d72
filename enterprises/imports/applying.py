"""Applying a checked upload: every row in one transaction, or nothing."""

from django.db import transaction

from ..models import Zone
from ..services import create_enterprises, update_enterprises
from .planning import Plan, plan_import
from .sheet import Upload


def apply_import(*, upload: Upload, zone: Zone, user) -> Plan:
    """Check again and write every row in one transaction; any error writes nothing. Raises
    StaleEdit or RuleBroken (after rolling back) when someone saved meanwhile."""
    with transaction.atomic():
        plan = plan_import(upload=upload, zone=zone, user=user)
        if plan.errors:
            return plan
        create_enterprises(
            rows=[{**row.form.model_values(), "zone": zone} for row in plan.new_rows], user=user
        )
        update_enterprises(
            changes=[(row.enterprise, row.form.model_values()) for row in plan.changed_rows],
            user=user,
        )
    return plan
