from django.apps import AppConfig


class GrowthBidsConfig(AppConfig):
    name = "growth_bids"
    verbose_name = "Growth bids"

    def ready(self):
        from foundation import caching, page_cache

        from .models import Bid
        from .selectors import RANKING_NAMESPACE, next_window_close

        # The Body's list keeps each round's ranking cached; any saved or deleted bid may change it (a round's
        # amount available is part of the cache key).
        caching.forget_when_changed(RANKING_NAMESPACE, Bid)

        # A round's window closing changes its bids' pages with no write ("Not submitted: window closed ..."):
        # no page is kept past the next close (foundation/page_cache.py).
        page_cache.changes_at(next_window_close)
