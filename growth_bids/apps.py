from django.apps import AppConfig


class GrowthBidsConfig(AppConfig):
    name = "growth_bids"
    verbose_name = "Growth bids"
