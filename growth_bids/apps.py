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

        # A round's window closing changes its bids' pages with no write ("Not submitted: window closed ..."):
        # no page is kept past the next close (foundation/page_cache.py).
        from foundation import page_cache

        from .selectors import next_window_close

        page_cache.changes_at(next_window_close)
