"""Leverera data in AppTest: upload a good file, a broken one, an xlsx named .csv, one behind another run; the overview."""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import etl
from tests.conftest import SAMPLE_RAW
from tests.ui.conftest import REPO

IDAG = "2026-12-01"  # the sample runs to October 2026: the overview as of this day (telephony October due 5 Nov)
OKTOBER = "telefoni/telefoni_2026-10.csv"


@pytest.fixture(scope="module")
def utan_oktober(tmp_path_factory) -> Path:
    """The sample loaded without October's telephony file (kept aside in `oktober.csv`)."""
    bas = tmp_path_factory.mktemp("leverera")
    shutil.copytree(SAMPLE_RAW, bas / "raw", ignore=shutil.ignore_patterns("*.md"))
    shutil.move(bas / "raw" / OKTOBER, bas / "oktober.csv")
    assert etl.run(bas / "raw", bas / "parquet", bas / "q").exit_code == 0
    return bas


@pytest.fixture()
def miljo(utan_oktober, tmp_path, monkeypatch) -> Path:
    """A fresh copy of that lake and raw folder for one test, and the app's environment pointing at it."""
    for del_ in ("raw", "parquet"):
        shutil.copytree(utan_oktober / del_, tmp_path / del_)
    shutil.copy(utan_oktober / "oktober.csv", tmp_path / "oktober.csv")
    monkeypatch.setenv("VU_RAW", str(tmp_path / "raw"))
    monkeypatch.setenv("VU_PARQUET", str(tmp_path / "parquet"))
    monkeypatch.setenv("VU_QUARANTINE", str(tmp_path / "q"))
    monkeypatch.setenv("VU_ETL_LOGG", str(tmp_path / "etl.log"))
    monkeypatch.setenv("VU_IDAG", IDAG)
    return tmp_path


def alla_bytes(mapp: Path) -> dict[str, str]:
    return {str(f.relative_to(mapp)): hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(mapp.rglob("*")) if f.is_file()}


def sida(miljo: Path) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    at.switch_page("pages/leverera_data.py")
    return at.run()


def ladda_upp(at: AppTest, *filer: tuple[str, bytes]) -> AppTest:
    for namn, innehall in filer:
        at.file_uploader[0].upload(namn, innehall, "text/csv")
    return at.run()


def las_in(at: AppTest) -> AppTest:
    at.button(key="vu_leverans_las_in").click()
    return at.run()


def att_atgarda(at: AppTest) -> list[tuple[str, str, str]]:
    """(Källa, Månad, Status) rows of the page's "Att åtgärda" table."""
    for d in at.dataframe:
        df = d.value
        if list(df.columns[:3]) == ["Källa", "Månad", "Status"]:
            return [tuple(r) for r in df.iloc[:, :3].itertuples(index=False)]
    return []


def kpi_oktober(parquet: Path) -> dict:
    """`python -m kpi --month 2026-10` as JSON: servicegrad for October."""
    ut = subprocess.run(
        [sys.executable, "-m", "kpi", "--parquet", str(parquet), "--month", "2026-10", "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return next(r for r in json.loads(ut.stdout) if r["id"] == "servicegrad")


def test_saknad_oktober_levereras_och_syns_i_kpi(miljo):
    assert kpi_oktober(miljo / "parquet")["varde"] is None
    at = sida(miljo)
    assert not at.exception, [e.value for e in at.exception]
    assert ("Telefoni (intervallrapport)", "okt 2026", "Saknas") in att_atgarda(at), "oktober saknas för telefoni"
    rutnat = next(m.value for m in at.markdown if "<table class='vu-fs'>" in m.value)
    assert "Leveranser per källa och månad, nov 2025–nov 2026" in rutnat
    at = ladda_upp(at, ("telefoni_2026-10.csv", (miljo / "oktober.csv").read_bytes()))
    assert [s.value for s in at.selectbox if s.label == "Källa"] == ["telefoni"], "källan känns igen på rubrikraden"
    at.toggle[0].set_value(True).run()
    forhand = at.dataframe[0].value
    assert list(forhand.columns[:4]) == ["Rad", "Datum", "Intervall", "Kö"] and forhand.iloc[0]["Intervall"] == "08:00–08:15"
    assert at.button(key="vu_leverans_las_in").label == "Läs in 1 fil"
    at = las_in(at)
    assert not at.exception, [e.value for e in at.exception]
    assert any("rader inlästa som Telefoni" in s.value and "ersatte oktober 2026" in s.value for s in at.success), [s.value for s in at.success]
    assert (miljo / "raw" / OKTOBER).read_bytes() == (miljo / "oktober.csv").read_bytes(), "filen ligger i källmappen som den levererades"
    assert ("Telefoni (intervallrapport)", "okt 2026", "Saknas") not in att_atgarda(at)
    assert not at.file_uploader[0].value, "uppladdaren töms efter leveransen"
    assert kpi_oktober(miljo / "parquet")["varde"] is not None, "oktober finns i python -m kpi"


def test_trasig_fil_visar_rapporten_och_andrar_ingenting(miljo):
    fore, raw_fore = alla_bytes(miljo / "parquet"), alla_bytes(miljo / "raw")
    text = (miljo / "oktober.csv").read_text(encoding="utf-8").split("\n")
    falt = text[1].split(",")
    falt[4] = str(int(falt[3]) + 7)  # Besvarade > Inkommande on data row 2
    text[1] = ",".join(falt)
    at = ladda_upp(sida(miljo), ("telefoni_2026-10.csv", "\n".join(text).encode("utf-8")))
    at = las_in(at)
    assert not at.exception, [e.value for e in at.exception]
    assert any("avvisades – ingenting lästes in och inget data ändrades" in e.value for e in at.error)
    rapport = next(c.value for c in at.code)
    assert "Besvarade får inte vara fler än Inkommande" in rapport and "rad 2:" in rapport and "Levererad av: lokal användare (i appen)" in rapport
    assert any("Se detaljerna på Datakvalitet" in str(p.proto) for p in at.get("page_link"))
    assert alla_bytes(miljo / "parquet") == fore, "sjön byte för byte som förut"
    assert alla_bytes(miljo / "raw") == raw_fore, "ingen fil i källmappen"
    assert ("Telefoni (intervallrapport)", "okt 2026", "Avvisad") in att_atgarda(at), "översikten visar avvisningen direkt"
    # Datakvalitet shows the rejection at once, with who delivered it
    at.switch_page("pages/datakvalitet.py")
    at.run()
    avvisade = next(d.value for d in at.dataframe if "Levererad av" in d.value.columns and "Orsak" in d.value.columns)
    assert avvisade.iloc[0]["Fil"] == OKTOBER and avvisade.iloc[0]["Levererad av"] == "lokal användare"


def test_xlsx_som_heter_csv_och_leverantorens_namn(miljo):
    import polars as pl

    bok = io.BytesIO()
    pl.read_csv(miljo / "oktober.csv").write_excel(bok)
    at = sida(miljo)
    at.text_input(key="vu_levererande").set_value("Tove Telefoni").run()
    at = las_in(ladda_upp(at, ("telefoni_2026-10.csv", bok.getvalue())))
    assert any("rader inlästa" in s.value for s in at.success), [e.value for e in at.error]
    assert any("Excel\\-arbetsbok men heter \\.csv" in c.value for c in at.caption), [c.value for c in at.caption]
    korning = subprocess.run(
        [sys.executable, "-m", "kpi", "--parquet", str(miljo / "parquet"), "--month", "2026-10", "--sida", "datakvalitet", "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(korning.stdout)["tabeller"]["korningar"][0]["levererad_av"] == "Tove Telefoni"


def test_for_stor_fil_och_fel_typ_nekas_med_svensk_text(miljo, monkeypatch):
    monkeypatch.setattr("etl.leverans.MAX_MB", 0.001)  # about 1 kB: the product's own check, before Streamlit's
    at = ladda_upp(sida(miljo), ("telefoni_2026-10.csv", (miljo / "oktober.csv").read_bytes()))
    assert any("största tillåtna storlek är" in e.value for e in at.error)
    assert at.button(key="vu_leverans_las_in").disabled
    assert not any((miljo / "raw" / ".inkommande").glob("*/*")), "en nekad fil sparas inte"


def test_leverans_vantar_pa_annan_inlasning(miljo):
    """Another run holds the lake's lock: the delivery waits (no error), then loads and says how long it waited."""
    at = ladda_upp(sida(miljo), ("telefoni_2026-10.csv", (miljo / "oktober.csv").read_bytes()))
    las = open(miljo / "parquet" / ".etl.lock", "a")
    fcntl.flock(las, fcntl.LOCK_EX)
    slapp = threading.Timer(2.0, lambda: (fcntl.flock(las, fcntl.LOCK_UN), las.close()))
    slapp.start()
    start = time.monotonic()
    at = las_in(at)
    assert time.monotonic() - start >= 2.0
    assert not at.exception and any("rader inlästa" in s.value for s in at.success)
    assert any(re.search(r"Väntade [23],\d s på en annan inläsning", c.value) for c in at.caption), [c.value for c in at.caption]


def test_las_som_aldrig_slapps_ger_svenskt_fel(miljo, monkeypatch):
    monkeypatch.setenv("VU_ETL_VANTA_S", "0.5")
    fore = alla_bytes(miljo / "parquet")
    at = ladda_upp(sida(miljo), ("telefoni_2026-10.csv", (miljo / "oktober.csv").read_bytes()))
    with open(miljo / "parquet" / ".etl.lock", "a") as las:
        fcntl.flock(las, fcntl.LOCK_EX)
        at = las_in(at)
    assert not at.exception
    assert any("en annan inläsning" in e.value and "pågick fortfarande" in e.value for e in at.error), [e.value for e in at.error]
    assert alla_bytes(miljo / "parquet") == fore


def test_inloggad_controller_levererar_med_sitt_namn(miljo, tmp_path, monkeypatch):
    """Login mode: the run log and the access log name the signed-in user; an enhetschef cannot open the page."""
    import behorighet
    import lake
    from tests.ui.test_behorighet_sidor import AUTH, PERSONER

    logg = tmp_path / "atkomst.jsonl"
    monkeypatch.setenv("VU_ATKOMSTLOGG", str(logg))
    monkeypatch.delenv("VU_BEHORIGHETER", raising=False)

    def inloggad_pa_sidan(roll: str) -> AppTest:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        at.secrets = AUTH
        at.user = {"is_logged_in": True, **PERSONER[roll]}
        at.run()
        at.switch_page("pages/leverera_data.py")
        return at.run()

    at = inloggad_pa_sidan("controller")
    assert not at.exception and [t.value for t in at.title] == ["Leverera data"]
    assert not [t for t in at.text_input if t.key == "vu_levererande"], "inloggad: namnet kommer från inloggningen"
    at = las_in(ladda_upp(at, ("telefoni_2026-10.csv", (miljo / "oktober.csv").read_bytes())))
    assert any("rader inlästa" in s.value for s in at.success)
    korningar = lake.query(lake.connect(miljo / "parquet"), "SELECT levererad_av FROM etl_korningar ORDER BY startad DESC LIMIT 1")
    assert korningar["levererad_av"][0] == "Carl (controller@stad.test)"
    (post,) = [p for p in behorighet.las_logg(logg) if p["handelse"] == "leverans"]
    assert (post["anvandare"], post["kalla"], post["fil"]) == ("controller@stad.test", "telefoni", "telefoni_2026-10.csv")

    chef = inloggad_pa_sidan("enhetschef")
    assert any("Du har inte behörighet till sidan Leverera data" in e.value for e in chef.error)
    assert not chef.file_uploader, "ingen uppladdning för en roll utan sidan"
