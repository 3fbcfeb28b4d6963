from django.apps import AppConfig


class CoreGroupsConfig(AppConfig):
    name = "core_groups"
    verbose_name = "Partnership and core groups"
