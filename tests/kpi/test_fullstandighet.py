"""The completeness overview on a lake with one missing month (or year) per source, loaded by the real ETL."""

from __future__ import annotations

import shutil
from datetime import date, datetime

import polars as pl
import pytest

import etl
import lake
from etl import leverans
from kpi import fullstandighet
from kpi.queries import SIDOR
from tests.conftest import SAMPLE_RAW
from tests.etl.filer import KANON, VARIANTER, skriv_variant

IDAG = date(2026, 12, 1)  # the window: nov 2025 – nov 2026
FONSTER = [date(2025, 11, 1), date(2025, 12, 1)] + [date(2026, m, 1) for m in range(1, 12)]
# the one period each source lacks (a month, or a year for the yearly sources)
SAKNAS = {
    "volymer": "2026-03",
    "bemanning": "2026-01",
    "telefoni": "2026-10",
    "sjukfranvaro": "2025-12",
    "ekonomi": "2026-06",  # unbooked in the year-to-date extract: budget but no Utfall
    "prognos": "2026-05",
    "mal": "2025",
    "malstruktur": "2026",
}
SAMTAL_SAKNAS = "2026-09"  # the optional call log: not delivered is not missing


def _rader(kalla: str, m: date, **andra) -> list[dict]:
    """The source's canonical rows moved to month m."""
    ut = []
    for r in KANON[kalla]:
        r = dict(r)
        for k in ("Månad", "Period", "Prognosmånad"):
            if k in r and isinstance(r[k], date):
                r[k] = m
        if "Datum" in r:
            r["Datum"] = m.replace(day=15)
        if "Starttid" in r:
            r["Starttid"] = datetime.combine(m.replace(day=15), r["Starttid"].time())
        r.update(andra)
        ut.append(r)
    return ut


@pytest.fixture(scope="module")
def sjo(tmp_path_factory):
    bas = tmp_path_factory.mktemp("fullstandighet")
    raw, parquet, q = bas / "raw", bas / "parquet", bas / "q"
    v = VARIANTER[0]
    for kalla in ("volymer", "bemanning", "telefoni", "sjukfranvaro"):
        for m in FONSTER[:-1]:  # november 2026 is not due yet: not delivered
            if f"{m:%Y-%m}" != SAKNAS[kalla]:
                skriv_variant(raw, kalla, v, _rader(kalla, m), f"{kalla}_{m:%Y-%m}.csv")
    skriv_variant(raw, "telefoni", v, _rader("telefoni", FONSTER[-1]), "telefoni_2026-11.csv")  # delivered early: inläst, not väntas
    for m in (date(2026, 8, 1), date(2026, 10, 1)):
        skriv_variant(raw, "samtal", v, _rader("samtal", m), f"samtal_{m:%Y-%m}.csv")
    for m in FONSTER[:2]:
        skriv_variant(raw, "ekonomi", v, _rader("ekonomi", m), f"ekonomi_{m:%Y%m}.csv")
    # the year-to-date Agresso extract: the whole year's budget, Utfall for the booked months (June missed, Nov–Dec not yet)
    ytd = [r for mo in range(1, 13) for r in _rader("ekonomi", date(2026, mo, 1), **({"Utfall": None} if mo in (6, 11, 12) else {}))]
    skriv_variant(raw, "ekonomi", v, ytd, "ekonomi_2026_hittills.csv")
    prognos = [r for m in FONSTER[:-1] if m.month not in (1, 7) and f"{m:%Y-%m}" != SAKNAS["prognos"] for r in _rader("prognos", m)]
    skriv_variant(raw, "prognos", v, prognos, "prognos.csv")
    skriv_variant(raw, "mal", v, [{**r, "År": 2026} for r in KANON["mal"]], "mal_2026.csv")
    skriv_variant(raw, "indikatorer", v, [{**r, "Period": "2025"} for r in KANON["indikatorer"][:1]], "indikatorer_2025.csv")
    (raw / "malstruktur").mkdir()
    shutil.copy(SAMPLE_RAW / "malstruktur" / "malstruktur_2025.csv", raw / "malstruktur")
    r = etl.run(raw, parquet, q, idag=IDAG)
    assert r.exit_code == 0, [f.meddelande for f in r.files if f.utfall == "avvisad"]
    return raw, parquet, q


def _celler(grid: pl.DataFrame) -> dict[tuple[str, str], str]:
    return {(k, f"{m:%Y-%m}"): s for k, m, s in grid.select("kalla", "manad", "status").iter_rows()}


def test_en_saknad_period_per_kalla(sjo):
    _, parquet, _ = sjo
    grid = fullstandighet.fullstandighet(lake.connect(parquet), IDAG)
    assert grid["manad"].unique().sort().to_list() == FONSTER and set(grid["kalla"]) == set(fullstandighet.LEVERANSRYTM)
    celler = _celler(grid)
    for kalla, saknad in SAKNAS.items():
        for m in FONSTER:
            period = f"{m:%Y-%m}" if len(saknad) == 7 else str(m.year)
            status = celler[(kalla, f"{m:%Y-%m}")]
            if period == saknad:
                assert status == "saknas", f"{kalla} {m}: {status}"
            elif kalla == "prognos" and m.month in (1, 7):
                assert status == "ingen_leverans", f"ingen prognos väntas i januari och juli ({m}: {status})"
            elif m == FONSTER[-1] and len(saknad) == 7:
                assert status == ("inlast" if kalla == "telefoni" else "vantas"), f"{kalla} november 2026: {status}"
            else:
                assert status == "inlast", f"{kalla} {m}: {status}"
    # the optional call log: delivered aug and oct, not sep — never "saknas"
    assert [celler[("samtal", f"2026-{mo:02d}")] for mo in (7, 8, 9, 10, 11)] == ["ej_levererad", "inlast", "ej_levererad", "inlast", "vantas"]
    # the surveys of 2026 are due in February 2027: väntas, while 2025's are in
    assert {celler[("indikatorer", f"{m:%Y-%m}")] for m in FONSTER[2:]} == {"vantas"}
    assert {celler[("indikatorer", f"{m:%Y-%m}")] for m in FONSTER[:2]} == {"inlast"}
    assert grid.filter(pl.col("status") == "saknas").height == 6 + 2 + 11, (
        "en månad per månadskälla; årsmålen 2025 (nov–dec), målstrukturen 2026 (jan–nov)"
    )


def test_texter_symboler_och_detaljer(sjo):
    _, parquet, _ = sjo
    grid = fullstandighet.fullstandighet(lake.connect(parquet), IDAG)
    assert all((s, t) == fullstandighet.STATUS[st] for st, s, t in grid.select("status", "symbol", "text").iter_rows())
    rad = grid.filter((pl.col("kalla") == "telefoni") & (pl.col("manad") == date(2026, 10, 1))).row(0, named=True)
    assert rad["detalj"] == "Saknas – skulle ha levererats senast 5 nov 2026." and rad["forfaller"] == date(2026, 11, 5)
    assert "från telefoni/telefoni_2026-09.csv" in grid.filter((pl.col("kalla") == "telefoni") & (pl.col("manad") == date(2026, 9, 1)))["detalj"][0]
    mal = grid.filter((pl.col("kalla") == "mal") & (pl.col("manad") == date(2025, 11, 1))).row(0, named=True)
    assert mal["period"] == "2025" and mal["detalj"] == "Saknas – skulle ha levererats senast 31 jan 2025."
    # a month not due yet is "väntas" with its last day, the day after it is "saknas"
    assert fullstandighet.LEVERANSRYTM["volymer"].forfaller(date(2026, 11, 1)) == date(2026, 12, 11)
    dagen_efter = _celler(fullstandighet.fullstandighet(lake.connect(parquet), date(2026, 12, 11)))
    assert dagen_efter[("volymer", "2026-11")] == "saknas" and dagen_efter[("sjukfranvaro", "2026-11")] == "vantas"


def test_avvisad_leverans_syns_direkt_och_efter_nasta_korning(sjo, tmp_path):
    raw0, parquet0, _ = sjo
    raw, parquet, q = tmp_path / "raw", tmp_path / "parquet", tmp_path / "q"
    shutil.copytree(raw0, raw)
    shutil.copytree(parquet0, parquet)
    # a broken re-delivery of a loaded month, and a broken delivery of the missing one
    for m, antal in ((date(2026, 2, 1), -1), (date(2026, 3, 1), -2)):
        fil = leverans.ta_emot(raw, "fel.csv", skriv_variant(tmp_path / "x", "volymer", VARIANTER[0], _rader("volymer", m, Antal=antal)).read_bytes())
        assert etl.leverera(fil, "volymer", raw, parquet, q, levererad_av="Per Persson", idag=IDAG).fil.utfall == "avvisad"
    utan = _celler(fullstandighet.fullstandighet(lake.connect(parquet), IDAG))
    assert (utan[("volymer", "2026-02")], utan[("volymer", "2026-03")]) == ("inlast", "saknas"), "sjön har inte ändrats"
    vantande = fullstandighet.vantande_korlogg(q)
    grid = fullstandighet.fullstandighet(lake.connect(parquet), IDAG, vantande)
    celler = _celler(grid)
    assert (celler[("volymer", "2026-02")], celler[("volymer", "2026-03")]) == ("avvisad", "avvisad")
    feb = grid.filter((pl.col("kalla") == "volymer") & (pl.col("manad") == date(2026, 2, 1)))["detalj"][0]
    assert " av Per Persson: Antal får inte vara negativt" in feb, feb
    assert feb.endswith("Tidigare inläst data gäller."), feb
    assert set(fullstandighet.saknade(grid).filter(pl.col("kalla") == "volymer")["status"]) == {"avvisad"}
    # committed by the next run: the same statuses from the lake alone
    etl.run(raw, parquet, q, idag=IDAG)
    efter = _celler(fullstandighet.fullstandighet(lake.connect(parquet), IDAG))
    assert (efter[("volymer", "2026-02")], efter[("volymer", "2026-03")]) == ("avvisad", "avvisad")
    # a corrected delivery afterwards: loaded again
    fil = leverans.ta_emot(raw, "ratt.csv", skriv_variant(tmp_path / "y", "volymer", VARIANTER[0], _rader("volymer", date(2026, 3, 1))).read_bytes())
    assert etl.leverera(fil, "volymer", raw, parquet, q, levererad_av="Per Persson", idag=IDAG).inlast
    assert _celler(fullstandighet.fullstandighet(lake.connect(parquet), IDAG))[("volymer", "2026-03")] == "inlast"


def test_sidfunktionen_och_cli(sjo, monkeypatch, capsys):
    """`python -m kpi --sida leverera_data` prints the same frame the pages lay out."""
    from kpi.__main__ import main

    _, parquet, q = sjo
    monkeypatch.setenv("VU_IDAG", IDAG.isoformat())
    monkeypatch.setenv("VU_QUARANTINE", str(q))
    d = SIDOR["leverera_data"](lake.connect(parquet), None, None)
    assert set(d) == {"fullstandighet", "att_atgarda", "rytmer"}
    assert d["fullstandighet"].equals(fullstandighet.fullstandighet(lake.connect(parquet), IDAG))
    assert d["rytmer"].height == len(fullstandighet.LEVERANSRYTM)
    assert main(["--parquet", str(parquet), "--year", "2026", "--sida", "leverera_data", "--format", "csv"]) == 0
    ut = capsys.readouterr().out
    assert "# fullstandighet" in ut and "telefoni;Telefoni (intervallrapport);2026-10-01;2026-10;saknas" not in ut
    assert "telefoni,Telefoni (intervallrapport),2026-10-01,2026-10,saknas,✗,Saknas" in ut
