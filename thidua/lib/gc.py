"""Pause Python's cyclic garbage collector around bulk work."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def gc_paused():
    """Building hundreds of thousands of small objects (a national re-score) triggers repeated
    collections that find nothing to free: they cost more than the scoring itself. Reference
    counting still frees everything; only cycle detection waits.

    On the way out, what was allocated meanwhile is moved to the oldest generation instead of
    being walked by the next young collection (freeze, then unfreeze: two list splices). On
    Python 3.13 every Decimal is tracked by the collector (not on 3.11), so a national re-score leaves over a
    million young objects — the result rows and the scores being returned, alive, and freed by
    reference counting once the caller is done with them. Walking them all once, at once, only to
    promote them cost ~0,5 s; in the oldest generation they are looked at only by a full
    collection, if they are still alive then. Cycles made meanwhile are still found, by that
    full collection. Skipped when someone else has frozen objects (e.g. a pre-forking server
    keeping pages shared), whose freeze must not be undone.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
