from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = "Shared commissioning"

    def ready(self):
        from core_groups.models import Organisation
        from foundation import caching, choice_cache

        from .models import FunderHourlyCost, FundingArrangement, ServiceArea
        from .selectors import SUMMARY_NAMESPACE

        # The dashboard's cached summary of the register changes with any arrangement or hourly cost.
        caching.forget_when_changed(SUMMARY_NAMESPACE, FundingArrangement, FunderHourlyCost)
        # The register's filter: funders are the organisations with arrangements; services are reference data.
        choice_cache.register(Organisation, FundingArrangement)
        choice_cache.register(ServiceArea)
