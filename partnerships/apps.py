from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = "Shared commissioning"

    def ready(self):
        from foundation import caching

        from .models import FunderHourlyCost, FundingArrangement
        from .selectors import SUMMARY_NAMESPACE

        # The dashboard's cached summary of the register changes with any arrangement or hourly cost.
        caching.forget_when_changed(SUMMARY_NAMESPACE, FundingArrangement, FunderHourlyCost)
