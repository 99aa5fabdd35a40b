"""Operational failures: a killed run, a read-only lake, a full disk, a lock held too long. The lake is always the old
state or the new one (never a mix), the CLI says one Swedish line and exits 3, and the next run records what happened."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import io
import multiprocessing
import random
import shutil
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest

import etl
import lake
from etl.__main__ import main
from lake.schema import TABLES
from tests.etl.filer import KANON, VARIANTER, skriv_variant
from tests.etl.sjo import snapshot, tabell
from tests.etl.test_korning import volymer

IDAG = date(2026, 12, 15)
DATATABELLER = [t for t in TABLES if not t.startswith("etl_")]
ANTAL_DODSPUNKTER = 12


def tillstand(parquet: Path) -> dict[str, list[tuple]]:
    """Every data table's rows as a reader sees them (through lake.connect, so the lake must be readable)."""
    con = lake.connect(str(parquet))
    return {t: sorted(lake.query(con, f"SELECT * FROM {t}").rows(), key=repr) for t in DATATABELLER}


@pytest.fixture(scope="module")
def omleverans(tmp_path_factory):
    """A loaded lake (old state), the raw folder after a re-delivery, and the lake a clean run makes of it (new state)."""
    bas = tmp_path_factory.mktemp("omleverans")
    raw, parquet = bas / "raw", bas / "gammal"
    volymer(raw, "volymer_2024-03.csv", [("2024-03", "Manuell", 100), ("2024-03", "Maskinell", 900)])
    volymer(raw, "volymer_2024-04.csv", [("2024-04", "Manuell", 50)])
    for kalla in ("telefoni", "bemanning", "mal"):
        skriv_variant(raw, kalla, VARIANTER[0], namn=f"{kalla}.csv")
    assert etl.run(raw, parquet, bas / "q0", idag=IDAG).exit_code == 0
    # the re-delivery: March corrected, the telephony month delivered again with other counts, and one bad file
    volymer(raw, "volymer_2024-03_rattelse.csv", [("2024-03", "Manuell", 110), ("2024-03", "Maskinell", 905)])
    telefoni = [dict(r) for r in KANON["telefoni"]]
    telefoni[0].update(Inkommande=1300, Besvarade=1250)
    skriv_variant(raw, "telefoni", VARIANTER[0], telefoni, namn="telefoni.csv")
    (raw / "volymer" / "volymer_zz_fel.csv").write_bytes(b"")  # rejected before GX is needed, so children stay quick
    ny = bas / "ny"
    shutil.copytree(parquet, ny)
    ny_raw = bas / "ny_raw"
    shutil.copytree(raw, ny_raw)
    assert etl.run(ny_raw, ny, bas / "q1", idag=IDAG).exit_code == 1
    gammalt, nytt = tillstand(parquet), tillstand(ny)
    assert gammalt != nytt
    return {"bas": bas, "raw": raw, "gammal": parquet, "gammalt": gammalt, "nytt": nytt}


def _kopia(omleverans, namn: str) -> tuple[Path, Path, Path]:
    mapp = omleverans["bas"] / namn
    shutil.copytree(omleverans["raw"], mapp / "raw")
    shutil.copytree(omleverans["gammal"], mapp / "parquet")
    return mapp / "raw", mapp / "parquet", mapp / "q"


def _barn(ctx, raw: Path, parquet: Path, q: Path, dodspunkt: int, raknare: Path) -> int:
    from tests.etl.avbrott import kor_och_do_vid

    p = ctx.Process(target=kor_och_do_vid, args=(str(raw), str(parquet), str(q), dodspunkt, IDAG, str(raknare)))
    p.start()
    p.join(120)
    return p.exitcode


def test_dodad_korning_lamnar_gammalt_eller_nytt_tillstand(omleverans):
    """SIGKILL at ≥ 10 points of a re-delivery: the lake reads as the old or the new state; the next run repairs and records."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.etl.avbrott"])
    raw, parquet, q = _kopia(omleverans, "rakna")
    raknare = omleverans["bas"] / "antal.txt"
    assert _barn(ctx, raw, parquet, q, 0, raknare) == 0
    assert tillstand(parquet) == omleverans["nytt"]
    antal = int(raknare.read_text())
    assert antal >= ANTAL_DODSPUNKTER, antal
    # always the first changes, the commit and the clean-up after it; the rest drawn at random
    punkter = sorted({1, 2, 3, antal - 2, antal - 1, antal} | set(random.Random(7).sample(range(4, antal - 2), ANTAL_DODSPUNKTER - 6)))
    sedda = {"gammalt": 0, "nytt": 0}
    for punkt in punkter:
        raw, parquet, q = _kopia(omleverans, f"punkt{punkt}")
        assert _barn(ctx, raw, parquet, q, punkt, raknare) == -signal.SIGKILL, f"punkt {punkt} dödade inte körningen"
        efter = tillstand(parquet)
        assert efter in (omleverans["gammalt"], omleverans["nytt"]), f"blandat tillstånd efter SIGKILL vid punkt {punkt} av {antal}"
        sedda["gammalt" if efter == omleverans["gammalt"] else "nytt"] += 1
        markering = (parquet / "_lake" / "pagaende.json").exists()
        dod = etl.run(raw, parquet, q, idag=IDAG)
        assert tillstand(parquet) == omleverans["nytt"], f"nästa körning reparerade inte efter punkt {punkt}"
        assert not [p for p in parquet.rglob("*.tmp")], "inga tillfälliga filer kvar"
        namngivna = {Path(f).name for t in TABLES for f in lake.partitions(parquet, t).values()}
        assert {p.name for p in parquet.rglob("*.parquet") if p.parent.name != "_lake"} <= namngivna | {
            Path(f).name for f in lake.manifest.las(parquet)["fil"]
        }, f"filer som inget manifest nämner efter punkt {punkt}"
        if markering and efter == omleverans["gammalt"]:
            korningar = tabell(parquet, "etl_korningar")
            assert dod.avbrutna and korningar.filter(pl.col("korning_id").is_in(dod.avbrutna))["status"].to_list() == ["avbruten"]
    assert sedda["gammalt"] and sedda["nytt"], sedda


def _cli(raw: Path, parquet: Path, q: Path, logg: Path) -> tuple[int, str, str]:
    ut, fel = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(ut), contextlib.redirect_stderr(fel):
        kod = main(["--raw", str(raw), "--parquet", str(parquet), "--quarantine", str(q), "--logg", str(logg)])
    return kod, ut.getvalue(), fel.getvalue()


def _orort(omleverans, parquet: Path, raw: Path) -> None:
    assert snapshot(parquet, med_logg=True) == snapshot(omleverans["gammal"], med_logg=True), "sjön ändrades"
    assert (parquet / "_lake" / "manifest.parquet").read_bytes() == (omleverans["gammal"] / "_lake" / "manifest.parquet").read_bytes()
    namngivna = {Path(f).name for f in lake.manifest.las(parquet)["fil"]}
    assert {p.name for p in parquet.rglob("*.parquet") if p.parent.name != "_lake"} <= namngivna, "filer kvar från den misslyckade körningen"
    assert (raw / "volymer" / "volymer_zz_fel.csv").exists(), "ingen fil flyttades till karantänen"


@pytest.mark.parametrize("var", ["forsta_partitionen", "korloggen", "manifestet", "karantanrapporten"])
def test_full_disk_ger_kod_3_och_andrar_ingenting(var, omleverans, monkeypatch, tmp_path):
    """A simulated OSError(ENOSPC) at each kind of write: exit 3, one Swedish line, traceback only in the log, nothing changed."""
    raw, parquet, q = _kopia(omleverans, f"full_{var}")
    full = OSError(errno.ENOSPC, "No space left on device")
    if var == "forsta_partitionen":
        monkeypatch.setattr("etl.skriva.skriv_parquet", lambda df, sokvag: (_ for _ in ()).throw(full))
    elif var == "korloggen":
        original = etl.korning.Sjoskrivare.skriv

        def skriv(self, filer):
            if any(t.startswith("etl_") for t, _ in filer):
                raise full
            return original(self, filer)

        monkeypatch.setattr("etl.korning.Sjoskrivare.skriv", skriv)
    elif var == "manifestet":
        monkeypatch.setattr("lake.manifest.skriv", lambda root, m: (_ for _ in ()).throw(full))
    else:
        original_text = Path.write_text

        def write_text(self, *args, **kwargs):
            if ".rapport.txt." in self.name:
                raise full
            return original_text(self, *args, **kwargs)

        monkeypatch.setattr("pathlib.Path.write_text", write_text)
    kod, ut, fel = _cli(raw, parquet, q, tmp_path / "etl.log")
    monkeypatch.undo()
    assert kod == 3
    assert "Traceback" not in ut + fel
    rader = [r for r in fel.splitlines() if r.startswith("Fel:")]
    assert len(rader) == 1 and ("disken är full" in rader[0]) and "Ingenting ändrades" in rader[0], fel
    assert "Traceback" in (tmp_path / "etl.log").read_text(encoding="utf-8"), "hela förloppet finns i loggen för IT"
    _orort(omleverans, parquet, raw)
    # the next run (disk space back) loads the re-delivery and records the failed run
    r = etl.run(raw, parquet, q, idag=IDAG)
    assert tillstand(parquet) == omleverans["nytt"] and r.avbrutna
    assert "disken är full" in tabell(parquet, "etl_korningar").filter(pl.col("status") == "avbruten")["meddelande"].item()


def test_las_som_inte_slapps_ger_kod_3(omleverans, monkeypatch, tmp_path):
    raw, parquet, q = _kopia(omleverans, "las")
    monkeypatch.setenv("VU_ETL_VANTA_S", "0.3")
    with open(parquet / ".etl.lock", "a") as las:
        fcntl.flock(las, fcntl.LOCK_EX)
        kod, ut, fel = _cli(raw, parquet, q, tmp_path / "etl.log")
    assert kod == 3 and "en annan inläsning" in fel and "Traceback" not in ut + fel
    _orort(omleverans, parquet, raw)


def _kan_montera() -> bool:
    try:
        return subprocess.run(["unshare", "--mount", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _i_eget_monteringsrum(skript: str) -> subprocess.CompletedProcess:
    return subprocess.run(["unshare", "--mount", "sh", "-ec", skript], capture_output=True, text=True, timeout=180)


@pytest.mark.skipif(not _kan_montera(), reason="kräver unshare --mount (root): ersätts av de simulerade felen ovan")
def test_skrivskyddad_sjo_pa_riktigt(omleverans, tmp_path):
    """A real read-only file system (a read-only bind mount of the lake): exit 3, one line, nothing changed."""
    raw, parquet, q = _kopia(omleverans, "skrivskyddad")
    etl_cmd = f"{sys.executable} -m etl --raw {raw} --parquet {parquet} --quarantine {q} --logg {tmp_path / 'etl.log'}"
    r = _i_eget_monteringsrum(f"mount --bind {parquet} {parquet}; mount -o remount,bind,ro {parquet}; {etl_cmd} || echo kod=$?")
    assert "kod=3" in r.stdout, r.stdout + r.stderr
    assert "skrivskyddat filsystem" in r.stderr and "Traceback" not in r.stdout + r.stderr
    assert len([x for x in r.stderr.splitlines() if x.startswith("Fel:")]) == 1
    _orort(omleverans, parquet, raw)


@pytest.mark.skipif(not _kan_montera(), reason="kräver unshare --mount (root): ersätts av de simulerade felen ovan")
def test_full_disk_pa_riktigt(omleverans, tmp_path):
    """A real, nearly full tmpfs under the lake: the run stops part-way with exit 3 and the lake is as it was."""
    raw, parquet, q = _kopia(omleverans, "tmpfs")
    ut = tmp_path / "efter"
    etl_cmd = f"{sys.executable} -m etl --raw {raw} --parquet {parquet} --quarantine {q} --logg {tmp_path / 'etl.log'}"
    skript = f"""
        mkdir -p {tmp_path}/stage; cp -a {parquet}/. {tmp_path}/stage/
        mount -t tmpfs -o size=8m tmpfs {parquet}
        cp -a {tmp_path}/stage/. {parquet}/
        dd if=/dev/zero of={parquet}/fyllnad bs=4096 2>/dev/null || true
        truncate -s -24K {parquet}/fyllnad
        {etl_cmd} || echo kod=$?
        rm {parquet}/fyllnad
        mkdir -p {ut}; cp -a {parquet}/. {ut}/
    """
    r = _i_eget_monteringsrum(skript)
    assert "kod=3" in r.stdout, r.stdout + r.stderr
    assert "disken är full" in r.stderr and "Traceback" not in r.stdout + r.stderr
    _orort(omleverans, ut, raw)
