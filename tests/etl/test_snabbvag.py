"""The ETL's fast paths give exactly what the general paths give: typed CSV reads, and marts computed by polars."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

import lake
from etl import lasa, tolka
from etl.kallor import KALLOR, STANDARD_INTAKTSGRUPPER, tolka_kolumner
from etl.skriva import enligt_kontrakt
from lake import read_table as las_tabell
from lake.schema import MARTS, TABLES
from tests.etl.filer import KANON, VARIANTER, skriv_variant

SAMPLE_RAW = Path(__file__).resolve().parents[2] / "data" / "raw"


def tabell(fil: Path, kalla: str, typad: bool) -> tuple[pl.DataFrame, bool]:
    """A raw file as its Parquet rows, read typed or as text; and whether the typed read was taken."""
    k = KALLOR[kalla]
    ra = lasa.las(fil, k, typad=typad)
    stegad = k.stega(tolka_kolumner(ra.data, k), STANDARD_INTAKTSGRUPPER)
    return enligt_kontrakt(k.till_tabell(stegad), k.tabell).sort(list(k.nyckel), nulls_last=True), ra.typad


@pytest.mark.parametrize("variant", VARIANTER, ids=lambda v: v.namn)
@pytest.mark.parametrize("kalla", list(KANON))
def test_typad_lasning_ger_samma_rader_som_text(kalla, variant, tmp_path):
    fil = skriv_variant(tmp_path, kalla, variant)
    typad, _ = tabell(fil, kalla, typad=True)
    assert typad.equals(tabell(fil, kalla, typad=False)[0])


def test_typad_lasning_av_hela_exempeldatan():
    """Every committed sample file gives the same rows both ways; plain CSV exports do take the typed read."""
    typade = 0
    for fil in sorted(SAMPLE_RAW.glob("*/*")):
        if fil.parent.name not in KALLOR or fil.suffix.lower() not in lasa.FILTYPER:
            continue
        typad, togs = tabell(fil, fil.parent.name, typad=True)
        assert typad.equals(tabell(fil, fil.parent.name, typad=False)[0]), fil
        typade += togs
    assert typade >= 40, f"bara {typade} filer lästes typat"  # 47 of the varied sample's files are plain exports


@pytest.mark.parametrize(
    ("innehall", "typad"),
    [
        ("Månad;Enhet;Förvaltning;Kategori;Antal\n2024-03;A;F;K;12\n", True),
        ("Månad;Enhet;Förvaltning;Kategori;Antal\n2024-03;A;F;K;1 150\n", False),  # thousands separator
        ("Månad;Enhet;Förvaltning;Kategori;Antal\n2024-03;A;F;K;12.0\n", False),  # a whole number written as decimal
        ("Månad;Enhet;Förvaltning;Kategori;Antal\n2024-03;A;F;K;x\n", False),
    ],
)
def test_typad_lasning_bara_for_rena_tal(innehall, typad, tmp_path):
    fil = tmp_path / "v.csv"
    fil.write_text(innehall, encoding="utf-8")
    assert lasa.las(fil, KALLOR["volymer"], typad=True).typad is typad


def test_nan_i_fil_tas_av_textvagen(tmp_path):
    fil = tmp_path / "s.csv"
    fil.write_text("Starttid,Kö,Väntetid,Samtalstid,Efterarbete,Utfall\n2024-03-15 08:00:00,K,nan,1,1,Besvarad\n", encoding="utf-8")
    ra = lasa.las(fil, KALLOR["samtal"], typad=True)
    assert not ra.typad and ra.data["vantetid_s"].to_list() == ["nan"]


@pytest.mark.parametrize("mart", list(MARTS))
def test_mart_fran_etl_lika_med_duckdb_over_detaljtabellen(mart, sample_lake, tmp_path):
    """The ETL computes marts with polars SQL; a lake without marts gets the same rows from DuckDB."""
    utan = tmp_path / "utan_mart"
    shutil.copytree(sample_lake / MARTS[mart][0], utan / MARTS[mart][0])
    nycklar = [c for c, t in TABLES[mart].columns.items() if t not in ("BIGINT", "DOUBLE")]  # the mart's group key
    fran_etl = las_tabell(sample_lake, mart).sort(nycklar)
    fran_duckdb = enligt_kontrakt(lake.query(lake.connect(utan), f"SELECT * FROM {mart}"), mart).sort(nycklar)
    assert fran_etl.height > 0 and fran_etl.shape == fran_duckdb.shape
    for c in fran_etl.columns:
        if fran_etl[c].dtype == pl.Float64:
            assert ((fran_etl[c] - fran_duckdb[c]).abs() <= 1e-6 * fran_duckdb[c].abs().fill_null(0) + 1e-9).all(), c
        else:
            assert fran_etl[c].equals(fran_duckdb[c]), c


@pytest.mark.parametrize("typad", [True, False])
def test_windows_1252_efter_de_forsta_64_kb(typad, tmp_path):
    """The encoding is judged on the first 64 KB, yet one Windows-1252 byte further down still decides the whole file."""
    rad = "2024-03;Enhet;Kulturförvaltningen;Kategori;{n}\n"
    text = "Månad;Enhet;Förvaltning;Kategori;Antal\n" + "".join(rad.format(n=i) for i in range(3000))
    utf8 = text.encode("utf-8")
    assert len(utf8) > lasa.SNIFF
    fil = tmp_path / "v.csv"
    fil.write_bytes(utf8[: lasa.SNIFF] + utf8[lasa.SNIFF :].replace("ö".encode(), b"\xf6"))
    ra = lasa.las(fil, KALLOR["volymer"], typad=typad)
    # As when the whole file was decoded up front: a file mixing encodings is read as Windows-1252 throughout, so
    # its UTF-8 header no longer names Förvaltning and validation rejects the file for the missing column.
    assert ra.kodning == "Windows-1252"
    assert ra.okanda_kolumner == ["MÃ¥nad", "FÃ¶rvaltning"] and "forvaltning" not in ra.data.columns
    assert ra.data.height == 3000 and ra.data["kategori"][-1] == "Kategori"
    fil.write_bytes(text.encode("cp1252"))
    helt = lasa.las(fil, KALLOR["volymer"], typad=typad)
    assert helt.kodning == "Windows-1252" and helt.data["forvaltning"][-1] == "Kulturförvaltningen"


KNEPIGA = {
    "manad": ["2024-03", "2024-3", "2024-13", "24-03", "+024-03", " 2024-03", "2024-03-01", "202403", "2024-00", "0024-03"],
    "datum": ["2024-03-15", "2024-3-5", "2024-02-30", "20240315", " 2024-03-15", "2024-03-15 00:00:00", "+2024-03-15"],
    "tidpunkt": ["2024-03-15 08:03:12", "2024-03-15T08:03:12", "2024-03-15 8:3:12", "2024-03-15 08:03", "2024-03-15 25:00:00"],
    "tal": ["12", "1 150,5", "1e5", "nan", "inf", " 7", "+3", "−3", "85 %"],
    "heltal": ["12", "12.0", "12,5", "+3", " 7", "1 150"],
    "tid": ["143", "02:23", "1:02:23", "nan", " 5"],
}


@pytest.mark.parametrize("typ", list(tolka.SNABB))
def test_snabbtolkning_ger_aldrig_annat_an_full_tolkning(typ):
    """A fast parser may leave a value to the full parser, but a value it does read must read the same."""
    full = {
        "tal": tolka.tal,
        "tid": tolka.varaktighet,
        "heltal": tolka.heltal,
        "tidpunkt": tolka.tidpunkt,
        "datum": tolka.datum,
        "manad": tolka.manad,
    }[typ]
    df = pl.DataFrame({"v": KNEPIGA[typ]}).with_columns(snabb=tolka.SNABB[typ](pl.col("v")), full=full(pl.col("v")))
    if df.schema["snabb"] == pl.Float64:  # _tolka nulls non-finite fast values before comparing
        df = df.with_columns(snabb=pl.when(pl.col("snabb").is_finite()).then(pl.col("snabb")))
    avvikande = df.filter(pl.col("snabb").is_not_null() & (pl.col("snabb") != pl.col("full").cast(df.schema["snabb"])).fill_null(True))
    assert avvikande.height == 0, avvikande.rows()
