from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        from enterprises import year_figures

        from . import signals, totals
        from .selectors.enterprise_years import AnnualReturnFigures

        year_figures.register(AnnualReturnFigures())
        signals.connect()
        totals.connect()
