"""The APT page in AppTest: one slide at a time in projector type, next/previous, sets saved by name and reopened."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from report import sets
from report.slides import KATALOG, STANDARDSET

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture()
def apt(rapport_lake, set_katalog, tmp_path, monkeypatch):
    """A session on the APT page against the sample lake (no ETL: the raw folder is empty)."""
    monkeypatch.setenv("VU_PARQUET", str(rapport_lake))
    monkeypatch.setenv("VU_RAW", str(tmp_path / "tom_raw"))

    def oppna(**query) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params.update(query)
        at.run()
        fraga = dict(at.query_params)
        at.switch_page("pages/apt_lage.py")
        at.query_params = fraga  # the browser keeps the query string (the global filters) across pages
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return oppna


def _html(at: AppTest, klass: str) -> str:
    return next(m.value for m in at.markdown if f'class="{klass}"' in m.value)


def _raknare(at: AppTest) -> str:
    return re.sub(r"<[^>]+>", "", _html(at, "apt-raknare"))


def test_bildspelet_bladdras_med_nasta_och_foregaende(apt):
    at = apt()
    assert _raknare(at) == f"Bild 1 av {len(STANDARDSET)}"
    assert KATALOG[STANDARDSET[0]].titel in _html(at, "apt-titel")
    at.button(key="apt_nasta").click().run()
    assert _raknare(at) == f"Bild 2 av {len(STANDARDSET)}"
    assert "Löner per årsarbetare" in _html(at, "apt-titel")
    at.button(key="apt_foregaende").click().run()
    at.button(key="apt_foregaende").click().run()  # from the first slide, back wraps to the last
    assert _raknare(at) == f"Bild {len(STANDARDSET)} av {len(STANDARDSET)}"
    assert not at.exception


def test_projektorstorlekar_och_ingen_appkrom(apt):
    at = apt()
    css = " ".join(m.value for m in at.markdown if "<style>" in m.value)
    assert re.search(r"\.apt-titel \{ font-size: (\d+)px", css) and int(re.search(r"\.apt-titel \{ font-size: (\d+)px", css)[1]) >= 40
    assert '[data-testid="stSidebar"]' in css and "display: none" in css
    at.button(key="apt_nasta").click().run()
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert fig["layout"]["font"]["size"] >= 22
    assert all(a["font"]["size"] >= 22 for a in fig["layout"].get("annotations", []))
    at.toggle(key="apt_visa_meny").set_value(True).run()  # the menu can be brought back to change period or unit
    css = " ".join(m.value for m in at.markdown if "<style>" in m.value)
    assert '[data-testid="stSidebar"]' not in css


def test_period_och_enhet_kommer_fran_de_globala_filtren(apt, enhet):
    at = apt(enhet=enhet, period="Månad", manad="mars")
    urval = _html(at, "apt-urval")
    assert enhet in urval and "mars" in urval
    at.button(key="apt_nasta").click().run()
    assert "i mars" in _html(at, "apt-slutsats")


def test_bildspel_sparas_med_namn_och_oppnas_igen(apt, set_katalog):
    at = apt()
    at.multiselect(key="apt_bilder").set_value(["sjukfranvaro_12m", "servicegrad"]).run()
    assert _raknare(at) == "Bild 1 av 2"
    at.text_input[0].input("APT Enhet 2")
    next(b for b in at.button if b.label == "Spara").click().run()  # the form's submit button
    assert not at.exception
    assert sets.hamta("APT Enhet 2").bilder == ("sjukfranvaro_12m", "servicegrad")

    ny = apt()  # a new session next month: the saved set is offered by name
    ny.selectbox(key="apt_set").set_value("APT Enhet 2").run()
    assert _raknare(ny) == "Bild 1 av 2"
    assert "Sjukfrånvaro, rullande 12 månader" in _html(ny, "apt-titel")


@pytest.mark.parametrize("fraga", [{"period": "Helår"}, {"ar": "2027", "period": "T1"}], ids=["helar", "ar_utan_data"])
def test_varje_bild_i_standardsetet_visas_med_en_svensk_slutsats(apt, fraga):
    at = apt(**fraga)
    for nummer in range(1, len(STANDARDSET) + 1):
        assert not at.exception, [e.value for e in at.exception]
        assert _raknare(at) == f"Bild {nummer} av {len(STANDARDSET)}"
        slutsats = re.sub(r"<[^>]+>", "", _html(at, "apt-slutsats"))
        assert slutsats.endswith(".") and len(slutsats) > 20
        at.button(key="apt_nasta").click().run()
    assert _raknare(at) == f"Bild 1 av {len(STANDARDSET)}"  # after the last slide, Nästa starts over
