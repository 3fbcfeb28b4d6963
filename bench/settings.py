"""Settings for the bench: the product's own, plus a trivial view (bench/urls.py) as the ceiling.

The bench sets DEBUG off (with its own key and hosts) so that pages run as they would in production;
plain http on loopback, so no HTTPS redirect and no Secure-only cookies.
"""

from commissioning.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
BENCH = True
# The key pages are kept until the next write (foundation/page_cache.py), as in production with Redis. The bench
# keeps the local-memory cache of each process unless REDIS_URL is set: nothing writes while it measures, so each
# gunicorn worker keeps what Redis would. PAGE_CACHE=0 measures every request as a first look (bench/run.py does
# both: the first look in process and under wrk beside the kept page).
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
