"""docs/indikatorer.md written from the catalogue: every indicator's definition, unit, direction and assessment rule.

`python -m kpi.dokumentation` rewrites the file; a test fails when the committed file differs from the catalogue."""

from __future__ import annotations

import sys
from pathlib import Path

from kpi.catalogue import AVSNITT, CATALOGUE
from kpi.queries import RIKTNING, om_katalogen
from kpi.targets import bedomningsregel_allman

FIL = Path(__file__).resolve().parent.parent / "docs" / "indikatorer.md"


def markdown() -> str:
    """The indicator reference as Markdown (Swedish, like the app's Om indikatorerna page)."""
    katalog = om_katalogen()
    rader = [
        "# Indikatorerna",
        "",
        "Genererad ur KPI-katalogen (`kpi/catalogue.py`) med `python -m kpi.dokumentation` – redigera inte för hand.",
        "Samma text visas i appen på sidan *Om indikatorerna*.",
        "",
        "Alla värden är kvoter av summor över perioden (Σ täljare ÷ Σ nämnare), aldrig medelvärden av månadskvoter.",
        "",
        bedomningsregel_allman(),
        "",
        "Sjukfrånvaro är hälsouppgifter: en enhet med färre än 5 anställda visas aldrig för sig, inga timsummor lämnas ut och små "
        "enheter slås ihop till *Små enheter (sammanslagna)* så att ingen kan räkna fram en liten enhets siffra ur andra urval.",
        "",
    ]
    for avsnitt in AVSNITT:
        delar = katalog.filter(katalog["Avsnitt"] == avsnitt)
        if delar.is_empty():
            continue
        rader += [
            f"## {avsnitt}",
            "",
            "| Indikator | Id | Definition | Visas i | Riktning | Periodicitet | Källor |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in delar.iter_rows(named=True):
            namn = r["Indikator"] + ("" if CATALOGUE[r["Id"]].visas else " *(hjälpmått)*")
            rader.append(f"| {namn} | `{r['Id']}` | {r['Definition']} | {r['Visas i']} | {r['Riktning']} | {r['Periodicitet']} | {r['Källor']} |")
        rader.append("")
        regler = {r["Bedömning"] for r in delar.iter_rows(named=True) if r["Bedömning"]}
        for regel in sorted(regler):
            vilka = ", ".join(f"`{r['Id']}`" for r in delar.iter_rows(named=True) if r["Bedömning"] == regel)
            rader += [f"Bedömning för {vilka}: {regel}", ""]
    rader += ["Riktningar: " + "; ".join(RIKTNING.values()) + ".", ""]
    return "\n".join(rader)


if __name__ == "__main__":
    FIL.write_text(markdown(), encoding="utf-8")
    print(f"Skrev {FIL}", file=sys.stderr)
