"""Settings for `make loadtest`: the production settings unchanged, plus one URL — the floor.

The floor is the smallest Django view there is (a short text answer that reads nothing), served by
the same gunicorn, the same middleware and the same database settings as the real pages, so that
the ratios `make loadtest` prints measure what the pages add. It exists only under these settings:
the application itself has no such URL.
"""

import os

from thidua.settings import *  # noqa: F403

ROOT_URLCONF = "bench.loadtest_urls"

# `bench/loadtest.py --no-cache`: every cache lookup misses, to measure the pages without the
# ranking cache (what they cost before it, plus the fingerprint that no longer pays off).
if os.environ.get("THIDUA_LOADTEST_NO_CACHE") == "1":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
