"""The committed sample (data/raw) loads whole through the ETL, with its deliberate quirks handled."""

from __future__ import annotations

from pathlib import Path

import polars as pl

import lake
from etl import lasa
from etl.kallor import KALLOR
from lake.schema import SOURCES, TABLES
from tests.conftest import SAMPLE_RAW
from tests.etl.test_varianter import tabell


def logg(sample_lake: Path) -> pl.DataFrame:
    return lake.read_table(sample_lake, "etl_filer")


def test_alla_kallor_inlasta(sample_lake):
    filer = logg(sample_lake)
    assert set(filer["utfall"]) == {"inläst"}
    assert set(filer["kalla"]) == {*SOURCES, "enheter"}, "alla källor och enhetsregistret"
    for kalla in SOURCES:
        assert lake.partitions(sample_lake, kalla), f"{kalla} saknar partitioner"
        for fil in lake.partitions(sample_lake, kalla).values():
            assert pl.read_parquet(fil).columns == list(TABLES[kalla].columns)


def test_omleveransen_ersatter_mars_2025(sample_lake):
    mars = pl.read_parquet(lake.partitions(sample_lake, "volymer")["2025-03"])
    rattelse = tabell(SAMPLE_RAW / "volymer" / "volymer_2025-03_rattelse.csv", "volymer")
    assert mars.sort(list(KALLOR["volymer"].nyckel)).equals(rattelse)


def test_summarad_och_okand_kolumn_rapporteras(sample_lake):
    meddelanden = dict(logg(sample_lake).select("fil", "meddelande").iter_rows())
    assert meddelanden["sjukfranvaro/sjukfranvaro_2023-12.csv"].startswith("summarad borttagen: rad ")
    assert "Kommentar" in meddelanden["bemanning/bemanning_2025-2026.csv"]


def test_inga_anstallningsnummer_i_parquet(sample_lake):
    identiteter: set[str] = set()
    for fil in sorted((SAMPLE_RAW / "sjukfranvaro").iterdir()):
        data = lasa.las(fil, KALLOR["sjukfranvaro"]).data
        if "anstallningsnummer" in data.columns:
            identiteter |= set(data["anstallningsnummer"].drop_nulls().to_list())
    assert len(identiteter) > 50, "exempeldatan ska ha personnivåfiler"
    for p in sample_lake.rglob("*.parquet"):
        df = pl.read_parquet(p)
        for kol in (c for c, t in df.schema.items() if t == pl.String):
            assert not identiteter & set(df[kol].drop_nulls().to_list()), f"anställningsnummer i {p.name}:{kol}"
