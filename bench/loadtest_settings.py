"""Settings for `make loadtest`: the production settings unchanged, plus one URL — the floor.

The floor is the smallest Django view there is (a short text answer that reads nothing), served by
the same gunicorn, the same middleware and the same database settings as the real pages, so that
the ratios `make loadtest` prints measure what the pages add. It exists only under these settings:
the application itself has no such URL.
"""

from thidua.settings import *  # noqa: F403

ROOT_URLCONF = "bench.loadtest_urls"
