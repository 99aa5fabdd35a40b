"""The APT page in AppTest: one slide at a time in projector type, next/previous, sets saved by name and reopened."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import kpi
import lake
from kpi.period import Period, tertial_of
from report import sets
from report.model import figurtabell
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
    """The slide's HTML element (title, takeaway, counter) holding the class."""
    return next(h.proto.body for h in at.get("html") if f'class="{klass}"' in h.proto.body)


def _css(at: AppTest) -> str:
    """The page's style sheets (st.html with only styles, which takes no room on the page)."""
    return " ".join(h.proto.body for h in at.get("html") if "<style>" in h.proto.body)


def _raknare(at: AppTest) -> str:
    return re.sub(r"<[^>]+>", "", _html(at, "apt-raknare"))


def _skarmar(at: AppTest) -> int:
    """Screens in the deck: one per slide, the goal table (first in the standard set) split into parts of at most 8 rows."""
    delar = re.search(r"\((\d+) av (\d+)\)</h1>", _html(at, "apt-titel"))
    n = len(STANDARDSET) - 1 + (int(delar[2]) if delar else 1)
    assert _raknare(at).endswith(f" av {n}")
    return n


def _tabellrader(at: AppTest) -> list[str]:
    tabell = next(h.proto.body for h in at.get("html") if 'class="apt-tabell"' in h.proto.body)
    return re.findall(r"<tr>(.*?)</tr>", tabell.split("<tbody>")[1])


def test_bildspelet_bladdras_med_nasta_och_foregaende(apt):
    at = apt()
    n = _skarmar(at)
    assert _raknare(at) == f"Bild 1 av {n}"
    assert KATALOG[STANDARDSET[0]].titel in _html(at, "apt-titel")
    for _ in range(n - len(STANDARDSET) + 1):  # past the goal table's parts
        at.button(key="apt_nasta").click().run()
    assert _raknare(at) == f"Bild {n - len(STANDARDSET) + 2} av {n}"
    assert "Löner per årsarbetare" in _html(at, "apt-titel")
    for _ in range(n - len(STANDARDSET) + 2):  # back to the first, then once more: wraps to the last
        at.button(key="apt_foregaende").click().run()
    assert _raknare(at) == f"Bild {n} av {n}"
    assert not at.exception


def _forbi_tabellen(at: AppTest) -> None:
    """Press Nästa until the goal table's parts are behind (the standard set's second slide is on screen)."""
    while 'class="apt-tabell"' in " ".join(h.proto.body for h in at.get("html")):
        at.button(key="apt_nasta").click().run()


def test_maltabellen_ar_en_html_tabell_med_hogst_atta_stora_rader_per_bild(apt, rapport_lake):
    """The goal table is a real table (header cells), split over screens of at most 8 rows at ≥ 28 px; no row is lost."""
    at = apt()
    css = _css(at)
    assert int(re.search(r"table\.apt-tabell \{[^}]*font-size: (?:max\()?(\d+)px", css)[1]) >= 28
    con = lake.connect(rapport_lake)
    senaste = kpi.senaste_manad(con)
    sida = KATALOG["maluppfyllelse"].bygg(Period(senaste.year, tertial=tertial_of(senaste.month)), kpi.Filters(), con)
    vantade = [r[0] for r in figurtabell(sida.figur).rader]
    delar = -(-len(vantade) // 8)
    assert delar > 1, "exempeldatans måltabell har fler än åtta rader"
    sedda = []
    for d in range(delar):
        assert f"Måluppfyllelse ({d + 1} av {delar})" in _html(at, "apt-titel")
        tabell = next(h.proto.body for h in at.get("html") if 'class="apt-tabell"' in h.proto.body)
        assert '<th scope="col"' in tabell and not at.get("plotly_chart"), "en riktig tabell, inte en Plotly-bild"
        rader = _tabellrader(at)
        assert 0 < len(rader) <= 8
        sedda += [re.sub(r"<[^>]+>", "", re.match(r"<td[^>]*>(.*?)</td>", r)[1]) for r in rader]
        at.button(key="apt_nasta").click().run()
    assert sedda == [html.escape(v) for v in vantade]
    assert "Löner per årsarbetare" in _html(at, "apt-titel"), "efter tabellens delar kommer nästa bild"


def test_projektorstorlekar_och_ingen_appkrom(apt):
    at = apt()
    css = _css(at)
    assert re.search(r"\.apt-titel \{ font-size: (\d+)px", css) and int(re.search(r"\.apt-titel \{ font-size: (\d+)px", css)[1]) >= 40
    assert '[data-testid="stSidebar"]' in css and "display: none" in css
    _forbi_tabellen(at)
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert fig["layout"]["font"]["size"] >= 22
    assert all(a["font"]["size"] >= 22 for a in fig["layout"].get("annotations", []))
    at.toggle(key="apt_visa_meny").set_value(True).run()  # the menu can be brought back to change period or unit
    css = _css(at)
    assert '[data-testid="stSidebar"]' not in css


def test_period_och_enhet_kommer_fran_de_globala_filtren(apt, enhet):
    at = apt(enhet=enhet, period="Månad", manad="mars")
    urval = _html(at, "apt-urval")
    assert enhet in urval and "mars" in urval
    _forbi_tabellen(at)
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
    n = _skarmar(at)
    for nummer in range(1, n + 1):
        assert not at.exception, [e.value for e in at.exception]
        assert _raknare(at) == f"Bild {nummer} av {n}"
        slutsats = re.sub(r"<[^>]+>", "", _html(at, "apt-slutsats"))
        assert slutsats.endswith(".") and len(slutsats) > 20
        at.button(key="apt_nasta").click().run()
    assert _raknare(at) == f"Bild 1 av {n}"  # after the last slide, Nästa starts over
