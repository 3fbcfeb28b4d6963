from django.apps import AppConfig


class GrowthBidsConfig(AppConfig):
    name = "growth_bids"
    verbose_name = "Growth bids"

    def ready(self):
        from foundation import caching

        from .models import Bid
        from .selectors import RANKING_NAMESPACE

        # The Body's list keeps each round's ranking cached; any saved or deleted bid may change it (a round's
        # amount available is part of the cache key).
        caching.forget_when_changed(RANKING_NAMESPACE, Bid)
