"""Everything a file share holds, for every source, in one run: each bad file quarantined with a Swedish report, the
valid files beside them loaded, the loaded data unchanged, and no personnummer anywhere but in a quarantined original."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

import etl
import lake
from etl.__main__ import main
from lake.schema import TABLES
from sakerhet import innehaller_personnummer, maskera
from tests.etl.fientlig import AVVISAD, INLAST, REGISTER, Personnummer, fall_for, personfil
from tests.etl.filer import KANON, VARIANTER, skriv_csv, skriv_variant
from tests.etl.sjo import snapshot, tabell

IDAG = date.today()
PNR = Personnummer(seed=11)
UTANFOR_NAMN = "utanfor"
SHA256 = re.compile(r"[0-9a-f]{64}")  # a file checksum in the run log: digits that can look like a personnummer


def _alla_fall(bas: Path):
    ut = []
    for kalla in KANON:
        ut += fall_for(kalla, bas / "scratch" / kalla, IDAG, PNR, bas / UTANFOR_NAMN)
    return [*ut, personfil(PNR)]


FALL = _alla_fall(Path("/tmp/__fientlig_planering__"))  # ids for parametrize; files are written by the fixture


@pytest.fixture(scope="module")
def korning(tmp_path_factory):
    """Baseline loaded and snapshotted; then every hostile file added and the CLI run once."""
    bas = tmp_path_factory.mktemp("fientlig")
    raw, parquet, karantan, logg = bas / "raw", bas / "parquet", bas / "karantan", bas / "etl.log"
    skriv_csv(raw / "enheter" / "enheter.csv", ["Enhet", "Alias"], REGISTER)
    for kalla in KANON:
        skriv_variant(raw, kalla, VARIANTER[0], namn=f"a_{kalla}.csv")
    forsta = etl.run(raw, parquet, karantan)
    assert forsta.exit_code == 0, [f.meddelande for f in forsta.files if f.meddelande]
    fore = snapshot(parquet)

    fall = _alla_fall(bas)
    for f in fall:
        sokvag = raw / f.kalla / f.fil
        f.skriv(sokvag)
    ut, fel = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(ut), contextlib.redirect_stderr(fel):
        kod = main(["--raw", str(raw), "--parquet", str(parquet), "--quarantine", str(karantan), "--logg", str(logg)])
    filer = tabell(parquet, "etl_filer")
    senaste = filer.filter(pl.col("korning_id") == filer["korning_id"].max())
    return {
        "kod": kod,
        "ut": ut.getvalue(),
        "fel": fel.getvalue(),
        "fore": fore,
        "efter": snapshot(parquet),
        "filer": {r["fil"]: r for r in senaste.to_dicts()},
        "fall": {(f.kalla, f.id): f for f in fall},
        "bas": bas,
        "raw": raw,
        "parquet": parquet,
        "karantan": karantan,
        "logg": logg,
    }


def _rad(korning, f):
    return korning["filer"][maskera(f"{f.kalla}/{f.fil}")]


@pytest.mark.parametrize("fall", FALL, ids=lambda f: f"{f.kalla}-{f.id}")
def test_fallet_far_sitt_utfall(fall, korning):
    f = korning["fall"][(fall.kalla, fall.id)]
    rad = _rad(korning, f)
    assert rad["utfall"] == f.utfall, rad["meddelande"]
    assert f.text in rad["meddelande"]
    if f.utfall == AVVISAD:
        assert not (korning["raw"] / f.kalla / f.fil).is_symlink() and not (korning["raw"] / f.kalla / f.fil).exists(), "flyttad ur rådatamappen"
        original = korning["karantan"] / f.kalla / f.fil
        assert original.exists() or original.is_symlink(), "originalet ligger i karantänen, med sitt innehåll"
        rapport = (korning["karantan"] / f.kalla / (maskera(f.fil) + ".rapport.txt")).read_text(encoding="utf-8")
        assert f"Fil:        {maskera(f'{f.kalla}/{f.fil}')}" in rapport and f.text in rapport
        assert "Traceback" not in rapport
    else:
        assert rad["perioder"], "en inläst fil ersätter sina perioder"
    if f.namn is not None:
        namn = tabell(korning["parquet"], "etl_namn").filter(pl.col("fil") == rad["fil"])
        assert (f.namn[0], f.namn[1], f.namn[2]) in namn.select("skrivet", "tolkat", "typ").rows(), namn


def test_koden_ar_1_och_giltiga_filer_lastes_in_bredvid(korning):
    assert korning["kod"] == 1
    giltiga = [f for f in korning["fall"].values() if f.id == "giltig"]
    assert len(giltiga) == len(KANON) and all(_rad(korning, f)["utfall"] == INLAST for f in giltiga)
    assert "Traceback" not in korning["ut"] + korning["fel"]


def test_inlast_data_ar_oforandrat(korning):
    """Every partition of the baseline is byte-identical: no rejected file touched it (the odd but valid ones added their own)."""
    assert {k: v for k, v in korning["efter"].items() if k in korning["fore"]} == korning["fore"]


def test_namnen_lastes_i_kanonisk_form(korning):
    for t in ("volymer", "bemanning", "sjukfranvaro", "ekonomi", "prognos"):
        kolumn = "ansvar" if t in ("ekonomi", "prognos") else "enhet"
        varden = set(tabell(korning["parquet"], t)[kolumn].to_list())
        assert varden <= {"Löneenhet Nord", "Pensionsenheten", "Löneenhet Väst"}, (t, varden)
    assert set(tabell(korning["parquet"], "telefoni")["ko"].to_list()) == {"Löneservice", "Pension"}


def _planterade() -> list[str]:
    return [p for f in FALL for p in f.personnummer]


def _siffror(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_inga_personnummer_i_nagon_parquetfil(korning):
    planterade = {_siffror(p) for p in PNR.alla}
    assert len(planterade) > 80
    varden: set[str] = set()
    for fil in sorted(korning["parquet"].rglob("*.parquet")):  # every file on disk, the run log and the manifest included
        df = pl.read_parquet(fil)
        for kolumn in df.columns:
            if kolumn != "sha256":  # a checksum: 64 hex digits, not text from the file
                varden |= set(df[kolumn].cast(pl.String).drop_nulls().unique().to_list())
    traffar = [v for v in varden if innehaller_personnummer(v)]
    assert not traffar, traffar[:5]
    siffror = "\n".join(_siffror(v) for v in varden)
    assert not [p for p in planterade if p in siffror]


def test_inga_personnummer_i_rapporter_utskrift_eller_logg(korning):
    texter = {"stdout": korning["ut"], "stderr": korning["fel"], "logg": korning["logg"].read_text(encoding="utf-8")}
    for rapport in korning["karantan"].rglob("*.rapport.txt"):
        assert not innehaller_personnummer(rapport.name), rapport.name
        texter[rapport.name] = "\n".join(r for r in rapport.read_text(encoding="utf-8").splitlines() if not r.startswith("SHA-256:"))
    for namn, text in texter.items():
        assert not innehaller_personnummer(text), f"personnummer i {namn}"
    assert "[personnummer dolt]" in korning["ut"], "utskriften visar att något dolts"
    # only the quarantined originals (and the file whose name it is, still in data/raw) hold them
    for p in [*korning["karantan"].rglob("*"), *korning["parquet"].rglob("*")]:
        if p.suffix == ".duckdb":  # the lake's snapshot (lake.write_snapshot): every text value, file checksums aside
            with duckdb.connect(str(p), read_only=True) as bild:
                for (t,) in bild.execute("SELECT table_name FROM duckdb_tables()").fetchall():
                    for rad in bild.execute(f"SELECT * FROM {t}").fetchall():
                        assert not any(isinstance(v, str) and not SHA256.fullmatch(v) and innehaller_personnummer(v) for v in rad), (p, t, rad)
            continue
        if p.is_file() and not p.is_symlink() and p.suffix != ".parquet" and not any(p.name == f.fil for f in korning["fall"].values()):
            text = p.read_text(encoding="utf-8", errors="replace")
            assert not innehaller_personnummer("\n".join(r for r in text.splitlines() if not r.startswith("SHA-256:"))), p


def test_ingen_personnummer_i_sjons_logg_for_personfil(korning):
    sjuk = tabell(korning["parquet"], "sjukfranvaro").filter(pl.col("manad") == date(2023, 10, 1))
    assert sjuk.select("enhet", "anstallda").rows() == [("Löneenhet Nord", 3)]


def test_oforandrad_omkorning_och_utanforlank_lastes_aldrig(korning):
    """The file a link outside pointed to was never read: its period is nowhere in the lake."""
    assert "volymer/2023-08" not in korning["efter"]


@pytest.mark.parametrize("fall_id", [f.id for f in FALL if f.kalla == "volymer"])
def test_en_fil_i_taget_ger_ratt_kod(fall_id, tmp_path):
    """The exit code of a run holding only this file: 1 when it is rejected, 0 when it loads."""
    f = next(f for f in _alla_fall(tmp_path) if f.kalla == "volymer" and f.id == fall_id)
    raw = tmp_path / "raw"
    skriv_csv(raw / "enheter" / "enheter.csv", ["Enhet", "Alias"], REGISTER)
    (raw / "volymer").mkdir(parents=True)
    (tmp_path / UTANFOR_NAMN).mkdir(exist_ok=True)
    f.skriv(raw / "volymer" / f.fil)
    ut, fel = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(ut), contextlib.redirect_stderr(fel):
        kod = main(["--raw", str(raw), "--parquet", str(tmp_path / "p"), "--quarantine", str(tmp_path / "q"), "--logg", str(tmp_path / "l.log")])
    assert kod == (1 if f.utfall == AVVISAD else 0), ut.getvalue()
    assert not innehaller_personnummer(ut.getvalue() + fel.getvalue())


def test_systemfiler_och_undermappar_noteras_men_avvisas_inte(tmp_path):
    """Lock files, folder metadata, placeholders and subfolders are not deliveries: recorded as ignored, exit 0."""
    raw = tmp_path / "raw"
    skriv_variant(raw, "volymer", VARIANTER[0], namn="volymer.csv")
    for namn in ("~$volymer.xlsx", ".~lock.volymer.csv#", ".DS_Store", "Thumbs.db", ".gitkeep", "._volymer.csv"):
        (raw / "volymer" / namn).write_bytes(b"\x00x")
    (raw / "volymer" / "arkiv").mkdir()
    r = etl.run(raw, tmp_path / "p", tmp_path / "q")
    assert r.exit_code == 0
    utfall = {f.fil.split("/", 1)[1]: f.utfall for f in r.files}
    assert utfall.pop("volymer.csv") == "inläst" and set(utfall.values()) == {"ignorerad"} and len(utfall) == 7
    assert all((raw / "volymer" / n).exists() for n in utfall), "inget flyttas"


def test_tva_inlasningar_av_samma_indata_ger_samma_bytes(tmp_path):
    """The same raw files give byte-identical partitions (rows in a fixed order), whatever order threads finish in."""
    raw = tmp_path / "raw"
    shutil.copytree(Path(__file__).resolve().parents[2] / "data" / "raw", raw, ignore=shutil.ignore_patterns("*.md"))
    a = etl.run(raw, tmp_path / "a", tmp_path / "qa")
    b = etl.run(raw, tmp_path / "b", tmp_path / "qb")
    assert a.exit_code == b.exit_code == 0
    sa, sb = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert sa.keys() == sb.keys() and len(sa) > 300
    skiljer = [k for k in sa if sa[k] != sb[k]]
    assert not skiljer, skiljer[:5]
    assert set(TABLES) - {t.split("/")[0] for t in sa} <= {t for t in TABLES if t.startswith("etl_")}
    assert lake.partitions(tmp_path / "a", "samtal_manad")
