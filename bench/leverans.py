"""Upload → loaded: how long `etl.leverera` takes for typical files on the sample lake. `python -m bench.leverans [--runs 7]`.

Measures, in one process (as the dashboard runs it): recognising the source and the preview (what the page does on
upload), then the delivery itself for a month of telephony (CSV, 2 244 rows), a month of volumes (.xlsx), the Agresso
year-to-date extract (.xlsx) and a rejected file (its first rejection imports great-expectations). Each good delivery
is a real load: the same file is delivered again under its name, so it gets `~NNN` and replaces its months.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

ROT = Path(__file__).resolve().parent.parent


def _matt(funktion, antal: int) -> list[float]:
    tider = []
    for _ in range(antal):
        start = time.perf_counter()
        funktion()
        tider.append(time.perf_counter() - start)
    return tider


def _rad(namn: str, tider: list[float]) -> str:
    ms = sorted(t * 1000 for t in tider)
    return f"| {namn} | {len(ms)} | {statistics.median(ms):.0f} | {ms[0]:.0f} | {ms[-1]:.0f} |"


def main(argv: list[str] | None = None) -> None:
    """Build the sample lake without October's telephony file and time deliveries into it; prints a Markdown table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args(argv)

    import etl
    from etl import leverans

    bas = Path(tempfile.mkdtemp(prefix="vu_leverans_"))
    try:
        raw, parquet, q = bas / "raw", bas / "parquet", bas / "q"
        shutil.copytree(ROT / "data" / "raw", raw, ignore=shutil.ignore_patterns("*.md"))
        filer = {
            "telefoni": (raw / "telefoni" / "telefoni_2026-10.csv").read_bytes(),
            "volymer": (raw / "volymer" / "volymer_2026-10.xlsx").read_bytes(),
            "ekonomi": (raw / "ekonomi" / "ekonomi_2026_hittills.xlsx").read_bytes(),
        }
        for fil in ("telefoni/telefoni_2026-10.csv", "volymer/volymer_2026-10.xlsx", "ekonomi/ekonomi_2026_hittills.xlsx"):
            (raw / fil).unlink()
        etl.run(raw, parquet, q)
        nummer = iter(range(1, 10_000))
        trasig = filer["telefoni"].replace(
            b"\n2026-10-01,08:00-08:15,L\xc3\xb6neservice,10,10,", b"\n2026-10-01,08:00-08:15,L\xc3\xb6neservice,10,17,", 1
        )
        assert trasig != filer["telefoni"]

        def leverera(kalla: str, namn: str, innehall: bytes, utfall: str) -> None:
            r = etl.leverera(leverans.ta_emot(raw, namn, innehall), kalla, raw, parquet, q, levererad_av="bench")
            assert r.fil.utfall == utfall, (r.fil.utfall, r.fil.meddelande)

        def igenkanning() -> None:
            fil = leverans.ta_emot(raw, "telefoni_2026-10.csv", filer["telefoni"])
            assert leverans.kanna_igen_kalla(fil).kalla == "telefoni"
            leverans.forhandsvisning(fil, "telefoni")
            leverans.slang(fil)

        rader = ["| steg | körningar | median ms | min ms | max ms |", "|---|---|---|---|---|"]
        rader.append(_rad("källa + förhandsvisning, telefoni-CSV 180 kB", _matt(igenkanning, a.runs)))
        rader.append(_rad("avvisad fil, första (importerar great-expectations)", _matt(lambda: leverera("telefoni", "t.csv", trasig, "avvisad"), 1)))
        rader.append(_rad("avvisad fil, följande", _matt(lambda: leverera("telefoni", "t.csv", trasig, "avvisad"), a.runs)))
        # each delivery differs by trailing empty lines (dropped by the reader): a new file, a real load, not a duplicate
        rader.append(
            _rad(
                "telefoni-CSV 180 kB, 2 244 rader",
                _matt(lambda: leverera("telefoni", "telefoni_2026-10.csv", filer["telefoni"] + b"\r\n" * next(nummer), "inläst"), a.runs),
            )
        )
        rader.append(_rad("volymer .xlsx", _matt(lambda: leverera("volymer", "volymer_2026-10.xlsx", filer["volymer"], "inläst"), 1)))
        rader.append(
            _rad("Agresso hittills i år .xlsx", _matt(lambda: leverera("ekonomi", "ekonomi_2026_hittills.xlsx", filer["ekonomi"], "inläst"), 1))
        )
        print("\n".join(rader))
    finally:
        shutil.rmtree(bas, ignore_errors=True)


if __name__ == "__main__":
    main()
