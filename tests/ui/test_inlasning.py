"""ETL-if-stale: the app loads data/raw first only when the Parquet is missing or older than the exports."""

from __future__ import annotations

import os

from ui.inlasning import behover_etl


def _fil(sokvag, tid: float) -> None:
    sokvag.parent.mkdir(parents=True, exist_ok=True)
    sokvag.write_text("x")
    os.utime(sokvag, (tid, tid))


def test_behover_etl(tmp_path):
    raw, parquet = tmp_path / "raw", tmp_path / "parquet"
    assert not behover_etl(raw, str(parquet)), "inget underlag alls: ingen inläsning"
    _fil(raw / "volymer" / "v.csv", 1_000)
    assert behover_etl(raw, str(parquet)), "Parquet saknas"
    _fil(parquet / "volymer" / "2025-01.parquet", 2_000)
    assert not behover_etl(raw, str(parquet)), "Parquet nyare än underlaget"
    _fil(raw / "volymer" / "ny.csv", 3_000)
    assert behover_etl(raw, str(parquet)), "en ny exportfil"
    assert not behover_etl(raw, "s3://hink/lake"), "en fjärrsjö fylls av sin egen pipeline"


def _alla_texter(at) -> list[str]:
    """Every value and label the app rendered, the status box and everything in it included."""
    texter = []

    def besok(nod) -> None:
        for barn in (getattr(nod, "children", None) or {}).values():
            texter.extend(str(getattr(barn, a)) for a in ("value", "label") if isinstance(getattr(barn, a, None), str))
            besok(barn)

    besok(at._tree[0])
    return texter


def _app_med_raw(raw, parquet, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.ui.conftest import REPO

    monkeypatch.setenv("VU_RAW", str(raw))
    monkeypatch.setenv("VU_PARQUET", str(parquet))
    monkeypatch.setenv("VU_QUARANTINE", str(raw.parent / "karantan"))
    monkeypatch.setenv("VU_ETL_LOGG", str(raw.parent / "etl.log"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    return at.run()


def test_avvisad_fil_visas_som_svensk_text_med_vag_till_datakvalitet(tmp_path, monkeypatch):
    """A rejected binary file named .csv: the status box explains in Swedish and points to Datakvalitet, no traceback."""
    raw = tmp_path / "raw"
    (raw / "volymer").mkdir(parents=True)
    (raw / "volymer" / "volymer_2025-01.csv").write_bytes(b"\x00\x01PK binary \xff\xfe" * 50)
    (raw / "mal").mkdir()
    (raw / "mal" / "mal.csv").write_text("Indikator;År;Årsmål\nnki;2025;67\n", encoding="utf-8")
    at = _app_med_raw(raw, tmp_path / "parquet", monkeypatch)
    texter = _alla_texter(at)
    assert not at.exception, [e.value for e in at.exception]
    assert any("några filer avvisades" in t for t in texter), texter
    assert any("karantänmappen" in t for t in at.warning.values), texter
    assert any("Datakvalitet" in t for t in texter)
    assert not any("Traceback" in t or 'File "' in t for t in texter)
    assert any("AVVISAD" in t and "inte text" in t for t in at.text.values), "orsaken syns på svenska"


def test_korning_som_inte_kan_slutforas_visas_utan_traceback(tmp_path, monkeypatch):
    """Exit 3 (here: another run holds the lock): one Swedish explanation, the dashboard opens on the data there is."""
    import fcntl

    raw, parquet = tmp_path / "raw", tmp_path / "parquet"
    (raw / "mal").mkdir(parents=True)
    (raw / "mal" / "mal.csv").write_text("Indikator;År;Årsmål\nnki;2025;67\n", encoding="utf-8")
    parquet.mkdir()
    monkeypatch.setenv("VU_ETL_VANTA_S", "0.2")
    with open(parquet / ".etl.lock", "a") as las:
        fcntl.flock(las, fcntl.LOCK_EX)
        at = _app_med_raw(raw, parquet, monkeypatch)
    texter = _alla_texter(at)
    assert not at.exception, [e.value for e in at.exception]
    assert any("kunde inte slutföras" in t for t in texter), texter
    assert any("en annan inläsning" in t for t in at.error.values), texter
    assert not any("Traceback" in t or 'File "' in t for t in texter)


def test_en_rusning_gar_igenom_raw_en_gang(tmp_path, monkeypatch):
    """Sessions opening within AKTUELL_I_S of a check that found the lake current skip the walk; later ones see a new export."""
    from ui import inlasning

    raw, parquet = tmp_path / "raw", tmp_path / "parquet"
    _fil(raw / "volymer" / "v.csv", 1_000)
    _fil(parquet / "volymer" / "2025-01.parquet", 2_000)
    korningar, promenader = [], []
    monkeypatch.setattr(inlasning, "kor_etl", lambda r, p: korningar.append(r))
    original = inlasning.behover_etl
    monkeypatch.setattr(inlasning, "behover_etl", lambda r, p: promenader.append(r) or original(r, p))
    for _ in range(20):
        inlasning.sakerstall_aktuell_data(raw, str(parquet))
    assert len(promenader) == 1 and not korningar, "tjugo sessioner i samma sekund: en genomgång, ingen inläsning"
    _fil(raw / "volymer" / "ny.csv", 3_000)
    monkeypatch.setattr(inlasning, "AKTUELL_I_S", 0.0)  # the window has passed
    inlasning.sakerstall_aktuell_data(raw, str(parquet))
    assert korningar == [raw], "en ny exportfil läses in av nästa session efter fönstret"
