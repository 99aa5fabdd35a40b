"""Page-query timing workers, run in fresh processes: the product's page functions and their pandas counterparts."""

from __future__ import annotations

import time

import kpi.queries  # noqa: F401  (imported before the clock, as a running dashboard has it)
import lake
from bench import pandas_kpi
from kpi.period import Filters, Period

WARM_BUDGET_S = 60.0  # a slow implementation gets fewer warm runs (at least MIN_WARM) rather than hours of them
MIN_WARM = 3


def _repeat(call, runs: int) -> list[float]:
    """Time `runs` calls, stopping early (after MIN_WARM) once WARM_BUDGET_S is spent."""
    times: list[float] = []
    for i in range(runs):
        t = time.perf_counter()
        call()
        times.append(time.perf_counter() - t)
        if i + 1 >= MIN_WARM and sum(times) > WARM_BUDGET_S:
            break
    return times


def _period(args: dict) -> Period:
    return Period(**args)


def _filters(args: dict) -> Filters:
    return Filters(**args)


def ours(root: str, page: str, period_args: dict, filter_args: dict, warm_runs: int) -> dict:
    """In a new process: connect + first call (cold), then warm_runs more calls on the same connection."""
    from kpi.queries import SIDOR

    fn, period, filters = SIDOR[page], _period(period_args), _filters(filter_args)
    t0 = time.perf_counter()
    con = lake.connect(root)
    t1 = time.perf_counter()
    fn(con, period, filters)
    t2 = time.perf_counter()
    warm = _repeat(lambda: fn(con, period, filters), warm_runs)
    con.close()
    return {"connect_s": t1 - t0, "cold_s": t2 - t0, "warm_s": warm}


def pandas(root: str, page: str, period_args: dict, filter_args: dict, warm_runs: int) -> dict:
    """In a new process: read the analyst's Parquet files + compute (cold), then recompute from memory (warm)."""
    period, filters = _period(period_args), _filters(filter_args)
    t0 = time.perf_counter()
    data = pandas_kpi.Data(root, pandas_kpi.TABLES_PER_PAGE[page])
    t1 = time.perf_counter()
    pandas_kpi.PAGES[page](data, period, filters)
    t2 = time.perf_counter()
    warm = _repeat(lambda: pandas_kpi.PAGES[page](data, period, filters), warm_runs)
    return {"connect_s": t1 - t0, "cold_s": t2 - t0, "warm_s": warm}
