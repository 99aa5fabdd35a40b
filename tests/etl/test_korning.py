"""Run semantics: idempotent re-runs, re-delivery replaces a month, person-level sick leave leaves no identifier, run log."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

import etl
import lake
from tests.etl.filer import KANON, VARIANTER, skriv_csv, skriv_variant
from tests.etl.sjo import partition, snapshot, tabell

PERSONER = ["900001", "900002", "900003"]


def partitioner(parquet: Path) -> dict[str, tuple[str, bytes]]:
    """Data partitions (not the run log) with their file and bytes."""
    filer = {f"{t}/{p}": f for t in lake.TABLES if not t.startswith("etl_") for p, f in lake.partitions(parquet, t).items()}
    return {k: (f, Path(f).read_bytes()) for k, f in filer.items()}


def volymer(mapp: Path, namn: str, rader: list[tuple[str, str, int]]) -> Path:
    return skriv_csv(
        mapp / "volymer" / namn,
        ["Månad", "Enhet", "Förvaltning", "Kategori", "Antal"],
        [[m, "Enhet 1", "Förvaltning A", k, str(a)] for m, k, a in rader],
    )


def test_omkorning_andrar_ingenting(tmp_path):
    raw, parquet = tmp_path / "raw", tmp_path / "parquet"
    for kalla in KANON:
        skriv_variant(raw, kalla, VARIANTER[2])
    forsta = etl.run(raw, parquet, tmp_path / "q")
    assert forsta.exit_code == 0 and {f.utfall for f in forsta.files} == {"inläst"}
    fore = partitioner(parquet)
    andra = etl.run(raw, parquet, tmp_path / "q")
    assert andra.exit_code == 0 and {f.utfall for f in andra.files} == {"oförändrad"}
    assert partitioner(parquet) == fore, "en omkörning får inte skriva om någon partition"
    assert andra.summary["volymer"] == {"filer": 1, "inlasta": 0, "oforandrade": 1, "avvisade": 0, "rader": 0}
    korningar = tabell(parquet, "etl_korningar").sort("startad")
    assert korningar.select("status", "inlasta_filer").rows() == [("ok", 9), ("ok", 0)]
    # a partition the manifest names but whose file was deleted by hand is restored from its (unchanged) raw file
    Path(fore["volymer/2024-03"][0]).unlink()
    tredje = etl.run(raw, parquet, tmp_path / "q")
    assert [f.kalla for f in tredje.files if f.utfall == "inläst"] == ["volymer"]
    assert partitioner(parquet)["volymer/2024-03"][1] == fore["volymer/2024-03"][1]


@pytest.mark.parametrize("batch_rader", [1_000_000, 1], ids=["en_batch", "en_fil_per_batch"])
def test_omleverans_ersatter_manaden_utan_dubbelrakning(tmp_path, monkeypatch, batch_rader):
    monkeypatch.setattr("etl.korning.BATCH_RADER", batch_rader)
    raw, parquet, q = tmp_path / "raw", tmp_path / "parquet", tmp_path / "q"
    volymer(raw, "volymer_2024-03.csv", [("2024-03", "Manuell", 100), ("2024-03", "Maskinell", 900), ("2024-04", "Manuell", 50)])
    volymer(raw, "volymer_2024-03_rattelse.csv", [("2024-03", "Maskinell", 950)])
    r = etl.run(raw, parquet, q)
    assert [f.perioder for f in r.files] == [["2024-03", "2024-04"], ["2024-03"]]
    mars = partition(parquet, "volymer", "2024-03")
    assert mars.select("kategori", "antal").rows() == [("Maskinell", 950)]
    assert partition(parquet, "volymer", "2024-04")["antal"].to_list() == [50]

    # The original is touched again (new checksum): it reloads April, but March stays the later delivery's.
    volymer(raw, "volymer_2024-03.csv", [("2024-03", "Manuell", 101), ("2024-04", "Manuell", 51)])
    r = etl.run(raw, parquet, q)
    original = next(f for f in r.files if f.fil == "volymer/volymer_2024-03.csv")
    assert original.utfall == "inläst" and original.perioder == ["2024-04"] and "behöll senare leverans för 2024-03" in original.meddelande
    assert partition(parquet, "volymer", "2024-03")["antal"].to_list() == [950]
    assert partition(parquet, "volymer", "2024-04")["antal"].to_list() == [51]


def test_arsfil_och_omleverans_av_en_manad(tmp_path):
    raw, parquet = tmp_path / "raw", tmp_path / "parquet"
    rubriker = ["Månad", "Enhet", "Roll", "Årsarbetare", "Anställda"]
    skriv_csv(raw / "bemanning" / "bemanning_2024.csv", rubriker, [[f"2024-0{m}", "E", "Löneadministratör", "10", "11"] for m in (1, 2, 3)])
    skriv_csv(raw / "bemanning" / "bemanning_2024_rattelse_feb.csv", rubriker, [["2024-02", "E", "Löneadministratör", "9,5", "10"]])
    assert etl.run(raw, parquet, tmp_path / "q").exit_code == 0
    assert tabell(parquet, "bemanning").sort("manad")["arsarbetare"].to_list() == [10.0, 9.5, 10.0]


def _alla_varden(parquet: Path) -> str:
    """Every cell of every Parquet file under the root, as one text."""
    delar = []
    for p in parquet.rglob("*.parquet"):
        df = pl.read_parquet(p)
        delar += [str(v) for kol in df.columns for v in df[kol].to_list()]
    return "\n".join(delar)


def test_personnivå_summeras_och_identifierare_skrivs_aldrig(tmp_path):
    raw, parquet, q = tmp_path / "raw", tmp_path / "parquet", tmp_path / "q"
    rubriker = ["Anställningsnummer", "Namn", "Månad", "Enhet", "Ordinarie arbetstid", "Sjukfrånvaro dag 1-14", "Sjukfrånvaro dag 15-"]
    skriv_csv(
        raw / "sjukfranvaro" / "sjuk_2025-01.csv",
        rubriker,
        [
            [PERSONER[0], "Anna Andersson", "2025-01", "Enhet A", "168,0", "16,0", "0"],
            [PERSONER[1], "Bo Berg", "2025-01", "Enhet A", "134,4", "0", "8,5"],
            [PERSONER[2], "Cecilia Ceder", "2025-01", "Enhet B", "168", "0", "0"],
        ],
        "cp1252",
        ";",
    )
    # a person-level file that breaks a rule: its report must not quote the identifier either
    skriv_csv(
        raw / "sjukfranvaro" / "sjuk_2025-02.csv",
        rubriker,
        [
            [PERSONER[0], "Anna Andersson", "2025-02", "Enhet A", "100", "90", "20"],
            [PERSONER[0], "Anna Andersson", "2025-02", "Enhet A", "100", "0", "0"],
        ],
    )
    r = etl.run(raw, parquet, q)
    assert [f.utfall for f in r.files] == ["inläst", "avvisad"]
    sjuk = partition(parquet, "sjukfranvaro", "2025-01").sort("enhet")
    assert sjuk.rows() == [
        (sjuk["manad"][0], "Enhet A", 2, 302.4, 16.0, 8.5),
        (sjuk["manad"][0], "Enhet B", 1, 168.0, 0.0, 0.0),
    ]
    assert sjuk.columns == ["manad", "enhet", "anstallda", "ordinarie_arbetstid_h", "sjuk_dag1_14_h", "sjuk_dag15_h"]
    texter = _alla_varden(parquet)
    rapport = (q / "sjukfranvaro" / "sjuk_2025-02.csv.rapport.txt").read_text(encoding="utf-8")
    assert "rad 2:" in rapport and "rad 3:" in rapport and "(dold personuppgift)" in rapport
    for hemligt in [*PERSONER, "Anna Andersson", "Bo Berg"]:
        assert hemligt not in texter, f"{hemligt} finns i Parquet"
        assert hemligt not in rapport, f"{hemligt} finns i karantänrapporten"
        for p in parquet.rglob("*"):
            assert hemligt.encode() not in p.read_bytes() if p.is_file() else True


def test_saknad_kallmapp_rapporteras_utan_fel(tmp_path):
    raw = tmp_path / "raw"
    skriv_variant(raw, "mal", VARIANTER[0])
    r = etl.run(raw, tmp_path / "parquet", tmp_path / "q", sources=["mal", "indikatorer"])
    assert r.exit_code == 0 and r.saknade_kallor == ["indikatorer"] and list(r.summary) == ["mal"]


def test_felaktig_anvandning_ger_etlfel(tmp_path):
    with pytest.raises(etl.EtlFel, match="Okänd källa: lönelistor"):
        etl.run(tmp_path, tmp_path / "p", tmp_path / "q", sources=["lönelistor"])
    with pytest.raises(etl.EtlFel, match="finns inte"):
        etl.run(tmp_path / "saknas", tmp_path / "p", tmp_path / "q")


def test_framsteg_och_korningslogg(tmp_path):
    raw, parquet = tmp_path / "raw", tmp_path / "parquet"
    skriv_variant(raw, "volymer", VARIANTER[0])
    skriv_variant(raw, "mal", VARIANTER[6])
    anrop = []
    r = etl.run(raw, parquet, tmp_path / "q", progress=lambda text, klara, totalt: anrop.append((text, klara, totalt)))
    assert anrop == [("volymer/volymer_utf8_komma.csv", 0, 2), ("mal/mal_xlsx.xlsx", 1, 2), ("klart", 2, 2)]
    filer = partition(parquet, "etl_filer", r.korning_id)
    rad = filer.filter(pl.col("kalla") == "volymer").row(0, named=True)
    assert (rad["rader"], rad["utfall"], rad["perioder"], len(rad["sha256"])) == (3, "inläst", "2024-03", 64)
    assert rad["storlek_bytes"] == (raw / "volymer" / "volymer_utf8_komma.csv").stat().st_size
    valideringar = partition(parquet, "etl_valideringar", r.korning_id)
    assert valideringar.filter(pl.col("kalla") == "volymer")["lyckades"].all()
    assert valideringar.filter(pl.col("kalla") == "volymer").height == len(etl.korning.las_svit("volymer")["expectations"])
    assert not any(p.name.endswith(".tmp") for p in parquet.rglob("*"))
    assert list(lake.partitions(parquet, "etl_korningar")) == [r.korning_id]
    assert os.listdir(parquet / "etl_korningar") == [Path(lake.partitions(parquet, "etl_korningar")[r.korning_id]).name]


def test_samma_filnamn_i_karantan_skrivs_inte_over(tmp_path):
    raw, q = tmp_path / "raw", tmp_path / "q"
    for forsok in (1, 2):
        skriv_variant(raw, "indikatorer", VARIANTER[0], [{**KANON["indikatorer"][0], "Utfall": f"fel{forsok}"}], namn="ind.csv")
        assert etl.run(raw, tmp_path / "parquet", q).exit_code == 1
    avvisade = sorted(p.name for p in (q / "indikatorer").iterdir() if not p.name.endswith(".rapport.txt"))
    assert len(avvisade) == 2 and "ind.csv" in avvisade
    assert {"fel1", "fel2"} == {(q / "indikatorer" / n).read_text(encoding="utf-8").splitlines()[1].split(",")[2] for n in avvisade}


def test_hittills_i_ar_med_tomt_utfall_for_obokforda_manader(tmp_path):
    """A year-to-date Agresso extract: budget for every month, Utfall empty where nothing is booked yet."""
    rader = list(KANON["ekonomi"]) + [{**r, "Period": "202412", "Utfall": ""} for r in KANON["ekonomi"]]
    skriv_variant(tmp_path / "raw", "ekonomi", VARIANTER[0], rader, namn="ekonomi_2024_hittills.csv")
    resultat = etl.run(tmp_path / "raw", tmp_path / "parquet", tmp_path / "karantan", sources=["ekonomi"])
    assert resultat.exit_code == 0, [f.meddelande for f in resultat.files]
    df = partition(tmp_path / "parquet", "ekonomi", "2024-12")
    assert df.height == len(KANON["ekonomi"])
    assert df["utfall_kr"].null_count() == df.height and df["budget_kr"].null_count() == 0


def test_avbruten_korning_lamnar_sjon_orord_och_nasta_korning_stadar(tmp_path, monkeypatch):
    """A run that fails half-way leaves the lake as it was and no files of its own; the next one removes strays and loads."""
    raw, parquet, q = tmp_path / "raw", tmp_path / "parquet", tmp_path / "q"
    volymer(raw, "volymer_2024-03.csv", [("2024-03", "Manuell", 100)])
    assert etl.run(raw, parquet, q).exit_code == 0
    fore = snapshot(parquet, med_logg=True)
    volymer(raw, "volymer_2024-03_rattelse.csv", [("2024-03", "Manuell", 110)])
    volymer(raw, "volymer_2024-04.csv", [("2024-04", "Manuell", 200)])
    kvarlamnad = parquet / "volymer" / "2024-01.20240101T000000000000-0.parquet"  # from a run that was killed
    kvarlamnad.write_bytes(b"halvskriven")

    skrivna = []
    original = etl.korning.Sjoskrivare.skriv

    def skriv_och_sedan_krascha(self, filer):
        skrivna.append(filer)
        if len(skrivna) == 2:
            raise OSError(28, "No space left on device")
        return original(self, filer)

    monkeypatch.setattr("etl.korning.Sjoskrivare.skriv", skriv_och_sedan_krascha)
    with pytest.raises(etl.KorningsFel, match="disken är full"):
        etl.run(raw, parquet, q)
    assert not kvarlamnad.exists(), "filer som inget manifest nämner tas bort när nästa körning börjar"
    assert snapshot(parquet, med_logg=True) == fore, "en avbruten körning får inte ändra något"
    namngivna = {Path(f).name for t in lake.TABLES for f in lake.partitions(parquet, t).values()}
    assert {p.name for p in parquet.rglob("*.parquet") if p.parent.name != "_lake"} == namngivna, "inga filer kvar från den avbrutna körningen"

    monkeypatch.undo()
    r = etl.run(raw, parquet, q)
    assert r.exit_code == 0 and sorted(lake.partitions(parquet, "volymer")) == ["2024-03", "2024-04"]
    assert partition(parquet, "volymer", "2024-03")["antal"].to_list() == [110]
    korningar = tabell(parquet, "etl_korningar").sort("startad")
    assert korningar["status"].to_list() == ["ok", "avbruten", "ok"]
    assert "disken är full" in korningar.filter(pl.col("status") == "avbruten")["meddelande"].item()
