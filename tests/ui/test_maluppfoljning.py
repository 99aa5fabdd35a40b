"""The follow-up page in AppTest on a real SQLite store: write, versions, conflict, personnummer, roles, fixation, database down."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import kpi
import lake
from kpi.period import Period, tertial_of
from tests.ui.conftest import REPO
from tests.ui.test_behorighet_sidor import AUTH, PERSONER
from ui.malsida import malnyckel
from uppfoljning import Uppfoljningsdatabas

FIENTLIG = "<script>alert(1)</script> **fet** [länk](javascript:alert(1)) $x^2$ :material/home:"


@pytest.fixture()
def miljo(app_env, tmp_path, monkeypatch) -> dict:
    """The sample lake, an empty SQLite follow-up store, the example mapping file and a temporary access log."""
    url = f"sqlite:///{tmp_path / 'uppfoljning.sqlite'}"
    monkeypatch.setenv("VU_DATABAS_URL", url)
    monkeypatch.setenv("VU_ATKOMSTLOGG", str(tmp_path / "atkomst.jsonl"))
    monkeypatch.delenv("VU_BEHORIGHETER", raising=False)
    senaste = kpi.senaste_manad(lake.connect(app_env))
    db = Uppfoljningsdatabas(url)
    yield {"url": url, "period": Period(senaste.year, tertial=tertial_of(senaste.month)), "db": db}
    db.stang()


def _app(person: str | None = None, **query) -> AppTest:
    """The follow-up page as the browser gets it: app.py first, then Måluppfyllelse (a signed-in person, or local mode)."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    if person:
        at.secrets = AUTH
        at.user = {"is_logged_in": True, **PERSONER[person]}
    at.query_params.update(query)
    at.run()
    fraga = dict(at.query_params)
    at.switch_page("pages/maluppfyllelse.py")
    at.query_params = fraga
    return at.run()


def _fel(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _html(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _som(at: AppTest, namn: str) -> AppTest:
    """Local mode: give the author's name once."""
    at.text_input(key="mu_namn").set_value(namn)
    return at.button(key="FormSubmitter:mu_namnform-Fortsätt").click().run()


def _skriv(at: AppTest, k: str, analys: str, atgarder: str = "", klar: bool = False, bedomning: str | None = None, motivering: str = "") -> AppTest:
    """Open the goal's editor (when closed), fill it in and save as utkast or klar."""
    if not [t for t in at.text_area if t.key == f"mu_ana_{k}"]:
        at.button(key=f"mu_borja_{k}").click().run()
        _fel(at)
    at.text_area(key=f"mu_ana_{k}").set_value(analys)
    at.text_area(key=f"mu_atg_{k}").set_value(atgarder)
    if bedomning:
        at.selectbox(key=f"mu_bed_{k}").set_value(bedomning)
    at.text_area(key=f"mu_mot_{k}").set_value(motivering)
    knapp = "Spara som klar" if klar else "Spara som utkast"
    return at.button(key=f"FormSubmitter:mu_form_{k}-{knapp}").click().run()


def test_skriva_analys_klar_med_versioner_och_vanlig_text(miljo):
    p, db = miljo["period"], miljo["db"]
    at = _app()
    _fel(at)
    k = malnyckel(p, None, "NM1")
    assert not [b for b in at.button if b.key == f"mu_borja_{k}"], "lokalt läge: namnet först"
    at = _som(at, "Vera Verksamhetschef")
    at = _skriv(at, k, "Första utkastet.")
    _fel(at)
    (v1,) = db.analyshistorik(p, "NM1")
    assert (v1.version, v1.tillstand, v1.forfattare, v1.analys) == (1, "utkast", "Vera Verksamhetschef", "Första utkastet.")
    assert any("Sparat:" in s.value and "analysen (version 1)" in s.value for s in at.success)

    at = _skriv(at, k, f"Resultatet är i balans.\n\nAndra stycket. {FIENTLIG}", "Fortsatt månadsuppföljning.", klar=True)
    _fel(at)
    v2 = db.senaste_analys(p, "NM1")
    assert (v2.version, v2.tillstand) == (2, "klar") and FIENTLIG in v2.analys
    html = _html(at)
    # stored text is shown as text: escaped, paragraphs kept, nothing interpreted as HTML or Markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **fet** [länk](javascript:alert(1)) $x^2$ :material/home:" in html
    assert "<script>" not in html and "<p>Resultatet är i balans.</p><p>Andra stycket." in html
    # the final assessment was set against the proposal and both are stored
    b = db.senaste_bedomning(p, "NM1")
    assert b is not None and b.bedomning == b.forslag
    # earlier versions on request
    at.toggle(key=f"mu_hist_{k}").set_value(True).run()
    assert "Första utkastet." in _html(at) and "version 1 · Vera Verksamhetschef" in _html(at)


def test_avvikande_bedomning_kraver_motivering(miljo):
    p, db = miljo["period"], miljo["db"]
    at = _som(_app(), "Vera")
    k = malnyckel(p, None, "EM1")
    at.button(key=f"mu_borja_{k}").click().run()
    forslag = at.selectbox(key=f"mu_bed_{k}").value  # the editor starts from the proposal
    annan = "uppfylls_helt" if forslag != "uppfylls_helt" else "uppfylls_ej"
    at = _skriv(at, k, "Analys.", bedomning=annan)
    assert "avviker från förslaget" in _html(at) and "skriv en motivering till varför" in _html(at)
    assert db.senaste_analys(p, "EM1") is None and db.senaste_bedomning(p, "EM1") is None, "inget sparas när något vägras"
    at = _skriv(at, k, "Analys.", bedomning=annan, motivering="Prognosen visar balans vid årets slut.")
    _fel(at)
    b = db.senaste_bedomning(p, "EM1")
    assert (b.bedomning, b.forslag) == (annan, forslag) and b.motivering == "Prognosen visar balans vid årets slut."
    assert "Prognosen visar balans vid årets slut." in _html(at)


def test_personnummer_vagras_med_svenskt_meddelande_och_texten_finns_kvar(miljo):
    p, db = miljo["period"], miljo["db"]
    at = _som(_app(), "Vera")
    k = malnyckel(p, None, "NM2")
    at = _skriv(at, k, "Handläggaren 19121212-1212 var sjuk.", "Åtgärd.", klar=True)
    _fel(at)
    assert "ser ut som ett personnummer. Ta bort det och spara igen" in _html(at)
    assert db.analyshistorik(p, "NM2") == [] and db.bedomningshistorik(p, "NM2") == []
    assert at.text_area(key=f"mu_ana_{k}").value == "Handläggaren 19121212-1212 var sjuk.", "texten finns kvar i formuläret"


def test_samtidig_redigering_visar_bada_texterna_och_inget_forloras(miljo):
    p, db = miljo["period"], miljo["db"]
    k = malnyckel(p, None, "EM2")
    anna = _som(_app(), "Anna *A* <i>x</i>")  # a name is text too, wherever the store's messages repeat it
    bo = _som(_app(), "Bo")
    for at in (anna, bo):  # both open the editor on the same (empty) version
        at.button(key=f"mu_borja_{k}").click().run()
    anna = _skriv(anna, k, "Annas analys.")
    _fel(anna)
    bo = _skriv(bo, k, "Bos analys.")
    _fel(bo)
    html = _html(bo)
    assert "Analysen har ändrats av Anna *A* &lt;i&gt;x&lt;/i&gt;" in html and "Din text är inte sparad" in html, "namnet som text"
    assert "Bos analys." in html and "Annas analys." in html, "båda texterna visas"
    assert [v.analys for v in db.analyshistorik(p, "EM2")] == ["Annas analys."]
    bo.button(key=f"mu_behall_{k}").click().run()
    _fel(bo)
    assert [(v.analys, v.forfattare) for v in db.analyshistorik(p, "EM2")] == [("Bos analys.", "Bo"), ("Annas analys.", "Anna *A* <i>x</i>")]
    assert "Anna *A* &lt;i&gt;x&lt;/i&gt;" in _html(bo), "Annas bedömning står kvar (samma innehåll), hennes namn som text"


def test_roller_enhetschef_skriver_for_sin_enhet_controller_laser(miljo):
    p, db = miljo["period"], miljo["db"]
    nord = malnyckel(p, "Löneenhet Nord", "EM3")
    elin = _app("enhetschef")
    _fel(elin)
    assert "Uppföljning för Löneenhet Nord" in _html(elin)
    assert not [x for x in elin.expander if "Fastställ" in x.label], "bara verksamhetschefen fastställer"
    elin = _skriv(elin, nord, "Nord svarade snabbare efter schemaändringen.", klar=True)
    _fel(elin)
    v = db.senaste_analys(p, "EM3", enhet="Löneenhet Nord")
    assert v.forfattare == "Elin (enhetschef.nord@stad.test)" and v.tillstand == "klar"
    assert db.senaste_analys(p, "EM3") is None, "enhetschefen skriver inte för hela verksamheten"

    carl = _app("controller")
    _fel(carl)
    assert not [b for b in carl.button if b.key.startswith("mu_borja_")], "controllern läser bara"
    assert any("Du kan läsa uppföljningen" in c.value for c in carl.caption)
    # the verksamhetschef (whole view) sees the unit's analysis under the goal
    vera = _app("verksamhetschef")
    _fel(vera)
    assert "Nord svarade snabbare efter schemaändringen." in _html(vera)
    assert [b for b in vera.button if b.key == f"mu_borja_{malnyckel(p, None, 'EM3')}"]


def test_faststallt_tertial_lases_och_kan_oppnas_med_motivering(miljo):
    p, db = miljo["period"], miljo["db"]
    nord = malnyckel(p, "Löneenhet Nord", "EM1")
    elin = _app("enhetschef")
    elin.button(key=f"mu_borja_{nord}").click().run()  # Elin is writing when the period is fixed
    vera = _app("verksamhetschef")
    vera.text_area(key=f"mu_faststall_mot_{p.key}").set_value("Alla analyser genomgångna.")
    vera.button(key=f"mu_faststall_{p.key}").click().run()
    _fel(vera)
    assert db.periodstatus(p).faststalld
    assert f"<strong>{p.label} är fastställd</strong> av Vera (verksamhetschef@stad.test)" in _html(vera)
    assert not [b for b in vera.button if b.key.startswith("mu_borja_")]
    elin = _skriv(elin, nord, "Sent skriven text.")
    assert "är fastställd (Vera (verksamhetschef@stad.test)" in _html(elin), "Elin får veta att perioden fastställts, och av vem"
    assert elin.text_area(key=f"mu_ana_{nord}").value == "Sent skriven text.", "texten finns kvar"
    assert db.senaste_analys(p, "EM1", enhet="Löneenhet Nord") is None
    # reopening needs a reason
    vera.button(key=f"mu_oppna_{p.key}").click().run()
    assert "Motivering får inte vara tom" in _html(vera)
    vera.text_area(key=f"mu_oppna_mot_{p.key}").set_value("Rättelse av Nords analys.")
    vera.button(key=f"mu_oppna_{p.key}").click().run()
    assert not db.periodstatus(p).faststalld
    assert [h.motivering for h in db.periodstatus(p).historik] == ["Rättelse av Nords analys.", "Alla analyser genomgångna."]


def test_databasen_nere_siffrorna_fungerar(app_env, tmp_path, monkeypatch):
    (tmp_path / "fil").write_text("inte en mapp")
    monkeypatch.setenv("VU_DATABAS_URL", f"sqlite:///{tmp_path / 'fil' / 'uppfoljning.sqlite'}")
    at = _app()
    _fel(at)
    assert any("Uppföljningsdatabasen går inte att nå just nu" in w.value for w in at.warning), [w.value for w in at.warning]
    html = _html(at)
    assert "Förslag till bedömning" in html and "Servicenämnden har en ekonomi i balans" in html
    assert not [b for b in at.button if b.key.startswith("mu_borja_")]
    assert at.get("page_link"), "indikatorerna leder fortfarande till sina sidor"


def test_matris_paminnelser_och_rapporttabell(miljo):
    p = miljo["period"]
    at = _app(flik="Enheter och indikatorer")
    _fel(at)
    html = _html(at)
    assert "<table class='vu-matris'>" in html
    for enhet in ("Löneenhet Nord", "Löneenhet Syd", "Pensionsenheten"):
        assert f"<th scope='col'>{enhet}</th>" in html
    at = _app(flik="Påminnelser")
    _fel(at)
    rubriker = [s.value for s in at.subheader]
    assert f"Analyser som inte är klara för {p.label}" in rubriker and "Källor utan data för senaste månaden" in rubriker
    html = _html(at)
    for enhet in ("Hela verksamheten", "Löneenhet Nord", "Löneenhet Syd", "Pensionsenheten"):
        assert f"<th scope='col'>{enhet}</th>" in html
    assert "<th scope='row'>Nämndmål: Servicenämnden har en ekonomi i balans</th>" in html and "<strong>Saknas</strong>" in html
    assert any("Alla källor har data för" in x.value for x in at.success)
    at = _app(flik="Rapporttabell")
    _fel(at)
    for kolumn in ["Indikator", "Periodens utfall", "Årsmål", "KF:s årsmål", "Period", "Bedömning"]:
        assert f"<th scope='col'>{kolumn}</th>" in _html(at)


def test_enhetschef_ser_bara_sina_enheter_i_matris_och_paminnelser(miljo):
    at = _app("enhetschef", flik="Enheter och indikatorer")
    _fel(at)
    html = _html(at)
    assert "Löneenhet Nord" in html and "Löneenhet Syd" not in html and "Pensionsenheten" not in html
    at = _app("enhetschef", flik="Påminnelser")
    html = _html(at)
    assert "<th scope='col'>Löneenhet Nord</th>" in html
    assert "Hela verksamheten" not in html and "Löneenhet Syd" not in html and "Pensionsenheten" not in html


def _drill_lankar(at) -> list:
    """The page's drill-down links (the sidebar's navigation links are page links too)."""
    return [x for x in at.get("page_link") if x.proto.label in ("Visa detaljer", "Om indikatorn")]


def test_drill_down_fran_oversikt_och_malen_med_samma_filter(miljo):
    p = miljo["period"]
    at = _app(enhet="Löneenhet Syd")
    _fel(at)
    lankar = _drill_lankar(at)
    sidor = {x.proto.page for x in lankar}
    assert {"produktivitet", "ekonomi", "sjukfranvaro", "telefoni"} <= sidor
    assert all(f"ar={p.year}" in x.proto.query_string and f"period=T{p.tertial}" in x.proto.query_string for x in lankar)
    assert all("enhet=L%C3%B6neenhet+Syd" in x.proto.query_string for x in lankar)
    fraga = dict(at.query_params)
    at.switch_page("pages/oversikt.py")
    at.query_params = fraga
    at.run()
    rutor = _drill_lankar(at)
    assert len(rutor) == len(at.metric), "varje ruta leder till sin sida"
    assert all("enhet=L%C3%B6neenhet+Syd" in x.proto.query_string for x in rutor)


def test_paminnelse_nar_en_kalla_saknar_senaste_manaden(ui_lake, tmp_path, monkeypatch):
    """A source whose latest month has not arrived is named, with the month it has."""
    import shutil

    from kpi.format import manad

    kopia = tmp_path / "parquet"
    shutil.copytree(ui_lake, kopia)
    senaste = kpi.senaste_manad(lake.connect(kopia))
    Path(lake.partitions(kopia, "sjukfranvaro")[f"{senaste:%Y-%m}"]).unlink()  # the file the lake's manifest names
    monkeypatch.setenv("VU_PARQUET", str(kopia))
    monkeypatch.setenv("VU_RAW", str(tmp_path / "tom_raw"))
    monkeypatch.setenv("VU_DATABAS_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    at = _app(flik="Påminnelser")
    _fel(at)
    forra = Period(senaste.year, month=senaste.month - 1).end if senaste.month > 1 else None
    text = _html(at)
    assert f"Senaste månaden med data är **{manad(senaste)}**" in text
    assert "**sjukfranvaro** (data/raw/sjukfranvaro/)" in text and (forra is None or manad(forra) in text)
    assert "telefoni" not in text
    assert any("1 källa saknar data" in c.value for c in at.caption)


def test_varje_avsnitt_och_ruta_har_en_detaljsida():
    """The indicator → page mapping is complete: every catalogue section names a page of the navigation."""
    from kpi import AVSNITT, CATALOGUE
    from ui.sidkarta import AVSNITT_SIDA, SIDKARTA, detaljsida

    assert set(AVSNITT_SIDA) == set(AVSNITT)
    filer = {f for rader in SIDKARTA.values() for f, _, _ in rader}
    assert set(AVSNITT_SIDA.values()) <= filer
    assert all(detaljsida(i.avsnitt) is not None for i in CATALOGUE.values() if i.visas)
