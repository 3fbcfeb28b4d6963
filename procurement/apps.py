from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = "Procurement"

    def ready(self):
        from core_groups.models import Organisation
        from foundation import choice_cache

        from .models import ProcurementProject

        # The project list's filter offers the organisations that lead a project: a project's lead changes it.
        choice_cache.register(Organisation, ProcurementProject)
