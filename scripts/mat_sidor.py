"""Time each dashboard page's first and repeat render on a lake: `python scripts/mat_sidor.py [--parquet DIR] [--upprepa N]`.

A render is one full script run of app.py + the page (AppTest, the same code path as a browser request,
without network and browser drawing). "Första" is the page's first visit in a fresh process (empty caches);
"upprepad" is the median of further visits with the same filters (cached data). The page's data function
from kpi.queries.SIDOR is also timed alone on a new connection (kall) and again (varm).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROT))

SIDFILER = {
    "oversikt": "pages/oversikt.py",
    "maluppfyllelse": "pages/maluppfyllelse.py",
    "produktivitet": "pages/produktivitet.py",
    "telefoni": "pages/telefoni.py",
    "sjukfranvaro": "pages/sjukfranvaro.py",
    "ekonomi": "pages/ekonomi.py",
    "datakvalitet": "pages/datakvalitet.py",
    "om": "pages/om_indikatorerna.py",
}


def _pages_som_i_servern() -> None:
    """AppTest re-detects the pages/ folder every run; a server stops after app.py's st.navigation (see tests/ui/conftest.py)."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import app_test

    class SomIServern(PagesManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            PagesManager.uses_pages_directory = False

    app_test.PagesManager = SomIServern


def mat_rendering(upprepa: int) -> list[dict]:
    """First and repeat render time per page in one AppTest session."""
    from streamlit.testing.v1 import AppTest

    _pages_som_i_servern()
    at = AppTest.from_file(str(ROT / "app.py"), default_timeout=120)
    start = time.perf_counter()
    at.run()
    uppstart = time.perf_counter() - start
    rader = [{"sida": "(appstart + översikt)", "forsta_s": uppstart, "upprepad_s": None}]
    for sid, fil in SIDFILER.items():
        tider = []
        for _ in range(1 + upprepa):
            fraga = dict(at.query_params)
            at.switch_page(fil)
            at.query_params = fraga
            start = time.perf_counter()
            at.run()
            tider.append(time.perf_counter() - start)
            if at.exception:
                raise SystemExit(f"{fil}: {at.exception[0].value}")
        rader.append({"sida": sid, "forsta_s": tider[0], "upprepad_s": statistics.median(tider[1:]) if upprepa else None})
    return rader


def mat_datafunktioner(root: str) -> dict[str, tuple[float, float]]:
    """Each page's data function on a new connection (cold) and once more (warm), with the default selection."""
    import kpi
    import lake
    from kpi.period import Filters, Period, tertial_of
    from kpi.queries import SIDOR

    con = lake.connect(root)
    senaste = kpi.senaste_manad(con)
    period = Period(senaste.year, tertial=tertial_of(senaste.month))
    ut = {}
    for sid, fn in SIDOR.items():
        con = lake.connect(root)
        start = time.perf_counter()
        fn(con, period, Filters())
        kall = time.perf_counter() - start
        start = time.perf_counter()
        fn(con, period, Filters())
        ut[sid] = (kall, time.perf_counter() - start)
    return ut


def main() -> None:
    """CLI: print a table of render and data-function times."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parquet", default=os.environ.get("VU_PARQUET", "data/parquet"))
    ap.add_argument("--upprepa", type=int, default=5, help="repeat visits per page (median is reported)")
    a = ap.parse_args()
    os.environ["VU_PARQUET"] = str(Path(a.parquet).resolve())
    os.environ.setdefault("VU_RAW", str(Path(a.parquet).resolve() / "_ingen_raw"))  # never start an ETL while timing
    data = mat_datafunktioner(os.environ["VU_PARQUET"])
    rader = mat_rendering(a.upprepa)
    print(f"{'sida':<24}{'första (s)':>12}{'upprepad (s)':>14}{'data kall (s)':>15}{'data varm (s)':>15}")
    for r in rader:
        kall, varm = data.get(r["sida"], (None, None))
        f = lambda x: f"{x:.3f}" if x is not None else "–"  # noqa: E731
        print(f"{r['sida']:<24}{f(r['forsta_s']):>12}{f(r['upprepad_s']):>14}{f(kall):>15}{f(varm):>15}")
    over = [r["sida"] for r in rader if r["upprepad_s"] is not None and r["upprepad_s"] >= 1.0]
    print("Alla sidor under 1 s varma." if not over else f"Över 1 s varma: {', '.join(over)}")


if __name__ == "__main__":
    main()
