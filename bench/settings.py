"""Settings for the bench: the product's own, plus a trivial view (bench/urls.py) as the ceiling.

The bench sets DEBUG off (with its own key and hosts) so that pages run as they would in production;
plain http on loopback, so no HTTPS redirect and no Secure-only cookies.
"""

from commissioning.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
BENCH = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
