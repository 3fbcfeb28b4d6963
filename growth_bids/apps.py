from django.apps import AppConfig


class GrowthBidsConfig(AppConfig):
    name = "growth_bids"
    verbose_name = "Growth bids"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Bid
        from .selectors import forget_rankings

        # The Body's list keeps each round's ranking cached; any saved or deleted bid may change it (a round's
        # amount available is part of the cache key).
        post_save.connect(forget_rankings, sender=Bid, dispatch_uid="growth-bids-ranking-save")
        post_delete.connect(forget_rankings, sender=Bid, dispatch_uid="growth-bids-ranking-delete")
