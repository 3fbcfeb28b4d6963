"""Kept pages under writes, for `make bench` (issue 17): how many page views the cache answers when people write.

Every write forgets every kept page (foundation/page_cache.py), so the share of views answered from the cache
depends on how often someone writes. The bench's key pages are opened in a seeded random order by their personas
(as bench/run.py measures them), in process, with one write (a risk's title changed and saved, as the risk form
does) after every ``W`` views, for W of 10, 50 and 250. For each: the share of views that were hits, and the mean
time of a view, of a hit and of a miss. A figure, not a goal: real traffic has more people and more pages (so fewer
repeats between writes) and fewer writes than views. The risk's title is put back afterwards.

Called by bench/run.py in the bench's own process and database (Django set up).
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

VIEWS = 600
WRITES_EVERY = (10, 50, 250)


def figures(pages: list[dict[str, Any]]) -> dict[str, Any] | None:
    """``pages``: bench/run.py's measured pages ({label, url, as}) that are kept (key pages)."""
    from django.test import Client, override_settings

    from bench.run import user
    from core_groups.models import Risk
    from foundation import caching, page_cache

    risk = Risk.objects.order_by("pk").first()
    if risk is None or not pages:
        return None
    clients: dict[str, Any] = {}
    for page in pages:
        if page["as"] not in clients:
            clients[page["as"]] = Client()
            clients[page["as"]].force_login(user(page["as"]))
    title = risk.title
    result: dict[str, Any] = {"views": VIEWS, "pages": len(pages), "people": len(clients), "runs": []}
    try:
        with override_settings(PAGE_CACHE=True):
            for every in WRITES_EVERY:
                caching.renew(page_cache.NAMESPACE)  # each run starts with nothing kept
                order = random.Random(17).choices(pages, k=VIEWS)
                hits, misses = [], []
                for n, page in enumerate(order, start=1):
                    start = time.perf_counter()
                    response = clients[page["as"]].get(page["url"])
                    ms = (time.perf_counter() - start) * 1000
                    (hits if response.get(page_cache.HIT_HEADER) == "hit" else misses).append(ms)
                    if n % every == 0:
                        risk.title = f"{title} ({n})"
                        risk.save()
                result["runs"].append(
                    {
                        "writes_every": every,
                        "hit_share": round(len(hits) / VIEWS, 3),
                        "mean_ms": round(statistics.fmean(hits + misses), 1),
                        "hit_mean_ms": round(statistics.fmean(hits), 1) if hits else None,
                        "miss_mean_ms": round(statistics.fmean(misses), 1) if misses else None,
                    }
                )
    finally:
        risk.title = title
        risk.save()
    return result


def print_figures(kept: dict[str, Any] | None, say: Any) -> None:
    if not kept:
        return
    say(
        f"\nKept pages under writes (bench/page_cache_bench.py): {kept['views']} views of {kept['pages']} key pages "
        f"by {kept['people']} people, in a random order, one write after every W views:"
    )
    for run in kept["runs"]:
        say(
            f"  W = {run['writes_every']:>3}: {run['hit_share']:6.1%} of views from the cache; mean view "
            f"{run['mean_ms']} ms (a hit {run['hit_mean_ms']} ms, a miss {run['miss_mean_ms']} ms)"
        )
