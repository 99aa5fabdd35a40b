"""Deterministic, seeded generator of raw exports for every source (DESIGN.md §3), the goal hierarchy (§7) and the unit register."""

from __future__ import annotations

import time
from pathlib import Path

from sample import export
from sample.modell import Verksamhet
from sample.parametrar import PRESETS, Params, params_for

SOURCES = ["volymer", "bemanning", "telefoni", "samtal", "sjukfranvaro", "ekonomi", "prognos", "mal", "indikatorer", "malstruktur", "enheter"]

__all__ = ["generate", "PRESETS", "Params", "SOURCES"]


def _clear(out: Path) -> None:
    """Remove earlier generated exports so a smaller or re-seeded run leaves no stale month behind."""
    for source in SOURCES:
        folder = out / source
        if folder.is_dir():
            for f in folder.iterdir():
                if f.is_file() and f.suffix.lower() in {".csv", ".xlsx"}:
                    f.unlink()


def generate(out: Path, preset: str = "default", seed: int = 42, **overrides) -> dict:
    """Write every source's raw exports under out; returns a summary with files and rows per source."""
    out = Path(out)
    params = params_for(preset, **overrides)
    started = time.perf_counter()
    v = Verksamhet(params, seed)
    _clear(out)
    varied = params.varied
    bemanning = v.bemanning()
    volymer = v.volymer()
    person = v.sjukfranvaro_person(bemanning)
    ekonomi = v.ekonomi(bemanning, volymer)
    written = {
        "volymer": export.volymer(v, volymer, out, varied),
        "bemanning": export.bemanning(v, bemanning, out, varied),
        "sjukfranvaro": export.sjukfranvaro(v, person, out, varied),
        "ekonomi": export.ekonomi(v, ekonomi, out, varied),
        "prognos": export.prognos(v, v.prognos(ekonomi), out, varied),
        "mal": export.mal(v, v.mal(), out, varied),
        "indikatorer": export.indikatorer(v, v.indikatorer(), out, varied),
        "malstruktur": export.malstruktur(v, out, varied),
        "enheter": export.enheter(v, out, varied),  # the unit register (read by the ETL before the sources)
    }
    written["telefoni"], written["samtal"] = export.telefoni_och_samtal(v, out, varied)
    sources = {}
    for source in SOURCES:
        files = written[source]
        sources[source] = {
            "files": len(files),
            "rows": sum(rows for _, rows in files),
            "bytes": sum((out / rel).stat().st_size for rel, _ in files),
            "paths": [rel for rel, _ in files],
        }
    return {
        "out": str(out),
        "preset": preset,
        "seed": seed,
        "params": params.__dict__,
        "sources": sources,
        "files": sum(s["files"] for s in sources.values()),
        "rows": sum(s["rows"] for s in sources.values()),
        "bytes": sum(s["bytes"] for s in sources.values()),
        "seconds": round(time.perf_counter() - started, 2),
    }
