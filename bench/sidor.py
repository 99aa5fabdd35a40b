"""Page-query timing workers, run in fresh processes: the product's page functions and their pandas counterparts."""
from __future__ import annotations

import time

import kpi.queries  # noqa: F401  (imported before the clock, as a running dashboard has it)
import lake
from bench import pandas_kpi
from kpi.period import Filters, Period


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
    warm = []
    for _ in range(warm_runs):
        t = time.perf_counter()
        fn(con, period, filters)
        warm.append(time.perf_counter() - t)
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
    warm = []
    for _ in range(warm_runs):
        t = time.perf_counter()
        pandas_kpi.PAGES[page](data, period, filters)
        warm.append(time.perf_counter() - t)
    return {"connect_s": t1 - t0, "cold_s": t2 - t0, "warm_s": warm}


