"""Pause Python's cyclic garbage collector around bulk work."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def gc_paused():
    """Building hundreds of thousands of small objects (a national re-score) triggers repeated
    full-heap collections that find nothing to free: they cost more than the scoring itself.
    Reference counting still frees everything; only cycle detection waits until the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
