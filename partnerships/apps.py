from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = "Shared commissioning"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import FunderHourlyCost, FundingArrangement
        from .selectors import forget_register_summary

        # The dashboard's cached summary of the register changes with any arrangement or hourly cost.
        for model in (FundingArrangement, FunderHourlyCost):
            post_save.connect(forget_register_summary, sender=model, dispatch_uid=f"register-summary-save-{model}")
            post_delete.connect(forget_register_summary, sender=model, dispatch_uid=f"register-summary-del-{model}")
