"""The lake's manifest: readers see exactly the files it names, old lakes without one still read, and the call-log
marts are written in the same byte order every time."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl

import etl
import lake
from lake import manifest
from tests.etl.filer import skriv_csv
from tests.etl.sjo import partition, snapshot
from tests.etl.test_korning import volymer


def test_lasare_ser_bara_manifestets_filer(tmp_path):
    raw, parquet, q = tmp_path / "raw", tmp_path / "parquet", tmp_path / "q"
    volymer(raw, "volymer_2024-03.csv", [("2024-03", "Manuell", 100)])
    etl.run(raw, parquet, q)
    gammal = lake.partitions(parquet, "volymer")["2024-03"]
    volymer(raw, "volymer_2024-03_rattelse.csv", [("2024-03", "Manuell", 120)])
    etl.run(raw, parquet, q)
    ny = lake.partitions(parquet, "volymer")["2024-03"]
    assert ny != gammal and Path(gammal).exists(), "den ersatta filen ligger kvar ett par versioner (öppna anslutningar)"
    # a file nobody commits (a run that died), in the table's folder: invisible to readers
    (parquet / "volymer" / "2024-03.20990101T000000-000000-0.parquet").write_bytes(Path(ny).read_bytes())
    con = lake.connect(str(parquet))
    assert lake.query(con, "SELECT antal FROM volymer").rows() == [(120,)]
    m = manifest.las(parquet)
    assert m.filter(pl.col("borttagen").is_not_null())["fil"].to_list() == [str(Path(gammal).relative_to(parquet))]
    # two more versions later the tombstone and its file are gone
    for n in (1, 2):
        volymer(raw, f"volymer_2024-0{3 + n}.csv", [(f"2024-0{3 + n}", "Manuell", n)])
        etl.run(raw, parquet, q)
    assert not Path(gammal).exists() and manifest.las(parquet)["borttagen"].is_null().all()


def test_sjo_utan_manifest_lases_och_tas_over(tmp_path):
    """A lake written before the manifest (one file per partition, plain names) is read by globbing, then adopted."""
    parquet = tmp_path / "parquet"
    (parquet / "volymer").mkdir(parents=True)
    pl.DataFrame({"manad": [datetime(2024, 3, 1).date()], "enhet": ["E"], "forvaltning": ["F"], "kategori": ["K"], "antal": [7]}).write_parquet(
        parquet / "volymer" / "2024-03.parquet"
    )
    assert lake.query(lake.connect(str(parquet)), "SELECT antal FROM volymer").rows() == [(7,)]
    raw = tmp_path / "raw"
    volymer(raw, "volymer_2024-04.csv", [("2024-04", "Manuell", 9)])
    assert etl.run(raw, parquet, tmp_path / "q").exit_code == 0
    assert sorted(lake.partitions(parquet, "volymer")) == ["2024-03", "2024-04"]
    assert partition(parquet, "volymer", "2024-03")["antal"].to_list() == [7]


def test_fjarrsjons_manifest_lases_med_duckdb(tmp_path, monkeypatch):
    """An s3:// lake is read through DuckDB: the manifest's live files, or None (glob) when the bucket has no manifest."""
    raw, parquet = tmp_path / "raw", tmp_path / "parquet"
    volymer(raw, "volymer_2024-03.csv", [("2024-03", "Manuell", 100)])
    etl.run(raw, parquet, tmp_path / "q")
    monkeypatch.setattr(lake, "is_remote", lambda root: True)  # the remote branch, on a local path DuckDB can read
    con = duckdb.connect()
    filer, digest = lake._manifest_files(con, str(parquet))
    assert filer == {t: [str(Path(f).relative_to(parquet)) for f in lake.partitions(parquet, t).values()] for t in filer}
    assert digest is None  # no snapshot for a remote lake: its tables are read from the bucket
    assert lake._manifest_files(con, str(tmp_path / "ingen_sjo")) == (None, None)


def test_borttagen_fil_far_inte_sanka_lasaren(tmp_path):
    """A partition file deleted by hand: the dashboard still opens (without it) and the next run restores it."""
    raw, parquet = tmp_path / "raw", tmp_path / "parquet"
    volymer(raw, "volymer_2024-03.csv", [("2024-03", "Manuell", 100)])
    volymer(raw, "volymer_2024-04.csv", [("2024-04", "Manuell", 50)])
    etl.run(raw, parquet, tmp_path / "q")
    Path(lake.partitions(parquet, "volymer")["2024-03"]).unlink()
    assert lake.query(lake.connect(str(parquet)), "SELECT antal FROM volymer").rows() == [(50,)]
    etl.run(raw, parquet, tmp_path / "q")
    assert sorted(lake.query(lake.connect(str(parquet)), "SELECT antal FROM volymer").rows()) == [(50,), (100,)]


def test_samtalsmarten_ar_bytelik_mellan_korningar(tmp_path):
    """A call-log month whose mart has more than 10 000 rows (queue × outcome × wait second): same bytes every load."""
    slump = random.Random(3)
    start = datetime(2024, 3, 1, 8)
    rader = []
    for i in range(40_000):
        besvarad = slump.random() < 0.9
        rader.append(
            [
                (start + timedelta(seconds=i * 60)).strftime("%Y-%m-%d %H:%M:%S"),
                f"Kö {slump.randint(1, 6)}",
                str(slump.randint(0, 3600 if besvarad else 60)),
                str(slump.randint(30, 900) if besvarad else 0),
                str(slump.randint(0, 120) if besvarad else 0),
                "Besvarad" if besvarad else "Avbruten",
            ]
        )
    rader = [r for r in rader if r[0] < "2024-04"]
    raw = tmp_path / "raw"
    skriv_csv(raw / "samtal" / "samtal_2024-03.csv", ["Starttid", "Kö", "Väntetid", "Samtalstid", "Efterarbete", "Utfall"], rader, "utf-8", ",")
    for namn in ("a", "b"):
        assert etl.run(raw, tmp_path / namn, tmp_path / f"q{namn}").exit_code == 0
    a, b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert pl.read_parquet(lake.partitions(tmp_path / "a", "samtal_manad")["2024-03"]).height > 10_000
    assert a == b


def test_dataversionen_byts_med_varje_korning(tmp_path):
    """The pages' cache key: stable while nothing writes, new after every run (a run also writes the run log)."""
    raw, parquet, q = tmp_path / "raw", tmp_path / "parquet", tmp_path / "q"
    assert lake.dataversion(str(parquet)) == "saknas"
    volymer(raw, "volymer_2024-03.csv", [("2024-03", "Manuell", 100)])
    etl.run(raw, parquet, q)
    forsta = lake.dataversion(str(parquet))
    lake.query(lake.connect(str(parquet)), "SELECT count(*) FROM volymer")
    assert lake.dataversion(str(parquet)) == forsta, "läsningar ändrar inte versionen"
    volymer(raw, "volymer_2024-03_rattelse.csv", [("2024-03", "Manuell", 120)])
    etl.run(raw, parquet, q)
    assert lake.dataversion(str(parquet)) != forsta, "en omleverans ger en ny version"


def _tabellerna(con) -> dict:
    """Every table's column types and rows, in a fixed order."""
    return {t: (con.execute(f"DESCRIBE {t}").fetchall(), con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()) for t in lake.TABLES}


def test_ogonblicksbilden_ger_samma_tabeller_och_foljer_manifestet(tmp_path, monkeypatch):
    """Each committing run leaves its small tables in one DuckDB file beside the manifest; a connection reads them from
    there (the same rows and types as from the Parquet files), a new run replaces it while a connection opened before
    keeps answering from its own version, a broken one is passed by."""
    raw, parquet, q = tmp_path / "raw", tmp_path / "parquet", tmp_path / "q"
    volymer(raw, "volymer_2024-03.csv", [("2024-03", "Manuell", 100)])
    etl.run(raw, parquet, q)
    forsta = sorted((parquet / manifest.MAPP).glob(f"{lake.SNAPSHOT_PREFIX}*"))
    assert len(forsta) == 1 and forsta[0].suffix == ".duckdb"

    anvanda: list[tuple[Path, bool]] = []
    riktig = lake._from_snapshot

    def spion(con, sokvag):
        anvanda.append((sokvag, riktig(con, sokvag)))
        return anvanda[-1][1]

    monkeypatch.setattr(lake, "_from_snapshot", spion)
    via_bild = _tabellerna(lake.connect(str(parquet)))
    assert anvanda == [(forsta[0], True)]
    monkeypatch.setattr(lake, "_from_snapshot", lambda con, sokvag: False)
    assert _tabellerna(lake.connect(str(parquet))) == via_bild

    # a correction: a new manifest, so a new file under a new name, and the old one is gone
    fore = lake.connect(str(parquet))
    (parquet / manifest.MAPP / f"{lake.SNAPSHOT_PREFIX}avbruten.duckdb.tmp").write_bytes(b"kvar efter en avbruten skrivning")
    volymer(raw, "volymer_2024-03_rattelse.csv", [("2024-03", "Manuell", 120)])
    etl.run(raw, parquet, q)
    andra = sorted((parquet / manifest.MAPP).glob(f"{lake.SNAPSHOT_PREFIX}*"))
    assert len(andra) == 1 and andra != forsta
    monkeypatch.setattr(lake, "_from_snapshot", spion)
    assert lake.query(lake.connect(str(parquet)), "SELECT antal FROM volymer").rows() == [(120,)]
    assert anvanda[-1] == (andra[0], True)
    assert not forsta[0].exists() and lake.query(fore, "SELECT antal FROM volymer").rows() == [(100,)]

    # a damaged file is not trusted: the connection reads the Parquet files instead
    andra[0].write_bytes(b"inte en databas")
    assert lake.query(lake.connect(str(parquet)), "SELECT antal FROM volymer").rows() == [(120,)]
    assert anvanda[-1] == (andra[0], False)


def test_ogonblicksbilden_galler_bara_sin_egen_sjo(tmp_path):
    """The file's name digests the manifest's bytes: a copy of another lake's snapshot is never read, and a lake with a
    partition file missing reads Parquet (the snapshot would still hold the deleted rows)."""
    raw, parquet = tmp_path / "raw", tmp_path / "parquet"
    volymer(raw, "volymer_2024-03.csv", [("2024-03", "Manuell", 100)])
    volymer(raw, "volymer_2024-04.csv", [("2024-04", "Manuell", 50)])
    etl.run(raw, parquet, tmp_path / "q")
    con = duckdb.connect()
    filer, digest = lake._manifest_files(con, str(parquet))
    assert digest is not None and lake._snapshot_path(str(parquet), digest).exists()
    Path(lake.partitions(parquet, "volymer")["2024-03"]).unlink()
    assert lake._manifest_files(con, str(parquet))[1] is None
