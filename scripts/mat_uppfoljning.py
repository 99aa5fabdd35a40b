"""Measure the follow-up database: save latency, saves per second with concurrent writers, and a period overview read.

Usage: python scripts/mat_uppfoljning.py [--url URL] [--pg] [--parquet DIR]
(--pg starts a throwaway PostgreSQL server as the tests do; without --url/--pg a temp SQLite file is used).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from uppfoljning import Uppfoljningsdatabas, Versionskonflikt  # noqa: E402


def _sparningar(db: Uppfoljningsdatabas, n: int) -> list[float]:
    tider, version = [], None
    for i in range(n):
        start = time.perf_counter()
        version = db.spara_analys("2025-T1", "NM1", analys=f"Text {i} " * 50, forfattare="Mätning", baserad_pa=version).version
        tider.append(time.perf_counter() - start)
    return tider


def _samtidiga(url: str, tradar: int, per_trad: int) -> tuple[float, int]:
    db = Uppfoljningsdatabas(url)
    db.motor()
    konflikter = [0]
    las = threading.Lock()

    def skribent(nr: int) -> None:
        for i in range(per_trad):
            mal = f"M{nr % 4}"  # four goals shared by the writers: conflicts happen, and are retried
            senaste = db.senaste_analys("2025-T2", mal)
            version = senaste.version if senaste else None
            while True:
                try:
                    version = db.spara_analys("2025-T2", mal, analys=f"{nr}-{i}", forfattare=f"S{nr}", baserad_pa=version).version
                    break
                except Versionskonflikt as k:
                    with las:
                        konflikter[0] += 1
                    version = k.senaste.version

    start = time.perf_counter()
    t = [threading.Thread(target=skribent, args=(nr,)) for nr in range(tradar)]
    for x in t:
        x.start()
    for x in t:
        x.join()
    sekunder = time.perf_counter() - start
    db.stang()
    return tradar * per_trad / sekunder, konflikter[0]


def main() -> int:
    """Print the measurements."""
    tolk = argparse.ArgumentParser()
    tolk.add_argument("--url")
    tolk.add_argument("--pg", action="store_true")
    tolk.add_argument("--parquet", default=None, help="a loaded lake: also time the period overview on its 2024 goal tree")
    arg = tolk.parse_args()
    server = None
    if arg.pg:
        from tests.pgserver import starta

        server = starta()
        url = server.ny_databas()
    else:
        url = arg.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'm.sqlite'}"
    try:
        db = Uppfoljningsdatabas(url)
        start = time.perf_counter()
        db.motor()
        print(f"{db.backend}: första användningen (migrering) {1000 * (time.perf_counter() - start):.0f} ms")
        tider = sorted(_sparningar(db, 200))
        print(f"sparning (en skribent, 200 st): median {1000 * statistics.median(tider):.1f} ms, p95 {1000 * tider[189]:.1f} ms")
        start = time.perf_counter()
        historik = db.analyshistorik("2025-T1", "NM1")
        print(f"versionshistorik ({len(historik)} versioner): {1000 * (time.perf_counter() - start):.1f} ms")
        for tradar in (2, 8):
            per_s, konflikter = _samtidiga(url, tradar, 25)
            print(f"{tradar} samtidiga skribenter: {per_s:.0f} sparningar/s, {konflikter} konflikter (omförsökta)")
        if arg.parquet:
            import lake
            from uppfoljning import las_maltrad, maluppfoljning

            trad = las_maltrad(lake.connect(arg.parquet), 2024)
            start = time.perf_counter()
            for _ in range(20):
                maluppfoljning(trad, "2024-T2", {}, db=db)
            print(f"maluppfoljning T2 2024 med databas: {1000 * (time.perf_counter() - start) / 20:.1f} ms")
        db.stang()
    finally:
        if server:
            server.stoppa()
    return 0


if __name__ == "__main__":
    sys.exit(main())
