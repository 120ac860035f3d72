"""Every save and delete of a return, a rating or a data-quality flag names its zone and year
(enterprises.changes), whoever makes it."""

from django.db.models.signals import post_delete, post_save

from enterprises.changes import batched, changed, zone_of_enterprise
from enterprises.models import Organisation

from .models import AnnualReturn, OrganisationRating, QualityFlag


def _zone_of_return(annual_return: AnnualReturn) -> int | None:
    if AnnualReturn.enterprise.is_cached(annual_return):
        return annual_return.enterprise.zone_id
    return zone_of_enterprise(annual_return.enterprise_id)


def _return_changed(sender, instance: AnnualReturn, **kwargs) -> None:
    """A return counts in its year and, as an enterprise's latest figures, in the years after."""
    changed({_zone_of_return(instance)}, since=instance.year, enterprises={instance.enterprise_id})


def _rating_changed(sender, instance: OrganisationRating, **kwargs) -> None:
    organisation = Organisation.objects.filter(pk=instance.organisation_id)
    for enterprise, zone in organisation.values_list("enterprise_id", "enterprise__zone_id"):
        changed({zone}, since=instance.year, enterprises={enterprise})


def _flag_changed(sender, instance: QualityFlag, **kwargs) -> None:
    returns_changed([instance.annual_return_id])


def returns_changed(pks) -> None:
    """What the bulk writes of returns changed (update() sends no signal), which call it."""
    rows = AnnualReturn.objects.filter(pk__in=pks).values_list(
        "enterprise_id", "enterprise__zone_id", "year"
    )
    with batched():
        for enterprise, zone, year in rows.distinct():
            changed({zone}, since=year, enterprises={enterprise})


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_return_changed, sender=AnnualReturn, dispatch_uid="return-zones")
        signal.connect(_rating_changed, sender=OrganisationRating, dispatch_uid="rating-zones")
        signal.connect(_flag_changed, sender=QualityFlag, dispatch_uid="flag-zones")
