"""thidua.lib.gc.gc_paused: the cyclic collector waits during bulk work, and what the work built
is not walked all at once by the next young collection — yet cycles are still found."""

from __future__ import annotations

import gc
import weakref
from decimal import Decimal

import pytest

from thidua.lib.gc import gc_paused


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_paused_inside_and_enabled_again_after(collector_on):
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled(collector_on):
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_what_was_built_inside_goes_to_the_oldest_generation_unwalked(collector_on):
    gc.collect()
    with gc_paused():
        built = [(Decimal(i), Decimal(i) / 7) for i in range(20_000)]
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(pair) in oldest and id(pair[1]) in oldest for pair in built)
    assert gc.get_freeze_count() == 0


def test_a_cycle_made_inside_is_still_collected(collector_on):
    with gc_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        alive = weakref.ref(a)
        del a, b
    assert alive() is not None  # only the cyclic collector can free it
    gc.collect()
    assert alive() is None


def test_objects_someone_else_froze_stay_frozen(collector_on):
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            [Node() for _ in range(1000)]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
