"""The unit register (data/raw/enheter/): variants and aliases load as the canonical unit, unknown units are flagged,
a changed register reloads the files it affects, and a broken register is quarantined without stopping the run."""

from __future__ import annotations

import polars as pl

import etl
from tests.etl.filer import KANON, VARIANTER, skriv_csv, skriv_variant
from tests.etl.sjo import tabell

RUBRIK = ["Enhet", "Alias"]


def _volymer(raw, namn: str, enheter: list[str]) -> None:
    rader = [{**KANON["volymer"][0], "Enhet": e, "Förvaltning": f"F{i}"} for i, e in enumerate(enheter)]
    skriv_variant(raw, "volymer", VARIANTER[0], rader, namn=namn)


def test_alias_varianter_och_okanda_enheter(tmp_path):
    raw, parquet = tmp_path / "raw", tmp_path / "parquet"
    skriv_csv(raw / "enheter" / "enheter.csv", RUBRIK, [["Löneenhet Nord", ""], ["Löneenhet Nord", "LE Nord"], ["Pensionsenheten", ""]])
    _volymer(raw, "v.csv", ["LE Nord", "löneenhet  nord", "Pensionsenheten\u200b", "Löneenhet Väst"])
    skriv_variant(raw, "telefoni", VARIANTER[0], namn="t.csv")
    r = etl.run(raw, parquet, tmp_path / "q")
    assert r.exit_code == 0
    assert sorted(tabell(parquet, "volymer")["enhet"].to_list()) == ["Löneenhet Nord", "Löneenhet Nord", "Löneenhet Väst", "Pensionsenheten"]
    namn = tabell(parquet, "etl_namn").select("kolumn", "skrivet", "tolkat", "typ", "rader").sort("skrivet").rows()
    assert namn == [
        ("Enhet", "LE Nord", "Löneenhet Nord", "alias", 1),
        ("Enhet", "Löneenhet Väst", None, "okand", 1),
        ("Enhet", "Pensionsenheten[U+200B]", "Pensionsenheten", "variant", 1),
        ("Enhet", "löneenhet␣␣nord", "Löneenhet Nord", "variant", 1),
    ]
    v = next(f for f in r.files if f.fil == "volymer/v.csv")
    assert "LE Nord' → 'Löneenhet Nord'" in v.meddelande and "okända namn" in v.meddelande and "Löneenhet Väst" in v.meddelande

    # the register learns the missing unit: the unit-bearing file is read again, the call log is not
    skriv_csv(
        raw / "enheter" / "enheter.csv",
        RUBRIK,
        [["Löneenhet Nord", ""], ["Löneenhet Nord", "LE Nord"], ["Pensionsenheten", ""], ["Löneenhet Väst", ""]],
    )
    r = etl.run(raw, parquet, tmp_path / "q")
    assert {f.fil: f.utfall for f in r.files} == {"enheter/enheter.csv": "inläst", "volymer/v.csv": "inläst", "telefoni/t.csv": "oförändrad"}
    senaste = tabell(parquet, "etl_namn").filter(pl.col("korning_id") == r.korning_id)
    assert "okand" not in senaste["typ"].to_list()
    # and a run without changes reads nothing again
    r = etl.run(raw, parquet, tmp_path / "q")
    assert {f.utfall for f in r.files} == {"oförändrad"}


def test_trasigt_register_karantansatts_och_korningen_fortsatter(tmp_path):
    raw, parquet = tmp_path / "raw", tmp_path / "parquet"
    # one alias pointing at two units: ambiguous, the register is rejected whole
    skriv_csv(raw / "enheter" / "enheter.csv", RUBRIK, [["Löneenhet Nord", "LE"], ["Löneenhet Syd", "le"]])
    _volymer(raw, "v.csv", ["LE", "Löneenhet Nord"])
    r = etl.run(raw, parquet, tmp_path / "q")
    utfall = {f.fil: f for f in r.files}
    assert r.exit_code == 1 and utfall["enheter/enheter.csv"].utfall == "avvisad"
    assert "bara förekomma en gång" in utfall["enheter/enheter.csv"].meddelande
    assert (tmp_path / "q" / "enheter" / "enheter.csv.rapport.txt").exists()
    # without a register the names are loaded as written (normalised), nothing is flagged unknown
    assert utfall["volymer/v.csv"].utfall == "inläst"
    assert sorted(tabell(parquet, "volymer")["enhet"].to_list()) == ["LE", "Löneenhet Nord"]


def test_register_med_personnummer_avvisas(tmp_path):
    raw = tmp_path / "raw"
    skriv_csv(raw / "enheter" / "enheter.csv", RUBRIK, [["Löneenhet Nord", "19121212-1212"]])
    r = etl.run(raw, tmp_path / "p", tmp_path / "q")
    f = next(f for f in r.files if f.kalla == "enheter")
    assert f.utfall == "avvisad" and "personnummer" in f.meddelande
    rapport = (tmp_path / "q" / "enheter" / "enheter.csv.rapport.txt").read_text(encoding="utf-8")
    assert "[personnummer dolt]" in rapport and "19121212" not in rapport
