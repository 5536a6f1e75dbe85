"""Python's cycle collector paused while a sheet's rows are made and kept."""

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """The cycle collector off inside: a sheet's rows, cells and checked values hold no
    cycles, yet their millions of objects would set off thousands of collections, each
    walking every object the process holds (the members already kept among them): a third
    of an import's reading and checking. What the block frees is freed as always, by
    reference counting; only cycles wait for the collector, which runs again after."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
