"""Targets of an indicator for one zone: the officials of a zone are judged against their own
targets, where the programme sets any; the indicator's own targets are the province's."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coordination.models import Indicator, year_field, year_range_check
from enterprises.models import Zone


class ZoneTarget(models.Model):
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="zone_targets",
        verbose_name=_("indicator"),
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="+", verbose_name=_("zone")
    )
    year = year_field(_("year"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zone target")
        verbose_name_plural = _("zone targets")
        ordering = ["indicator", "zone", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "zone", "year"], name="zonetarget_unique_year"
            ),
            year_range_check("year"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.zone} {self.year}: {self.value}"
