"""Every page under several filter combinations in AppTest: no exception, expected headings and metrics present."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import kpi
import lake
from kpi.format import MANADER
from kpi.period import tertial_of
from tests.ui.conftest import REPO

# page file → (title, subheadings that must be there when the period has data, has tiles)
SIDOR = {
    "pages/oversikt.py": ("Översikt", ["Produktivitet", "Telefoni", "Sjukfrånvaro", "Ekonomi"], True),
    "pages/maluppfyllelse.py": ("Måluppfyllelse", [], False),
    "pages/produktivitet.py": ("Produktivitet", [], True),
    "pages/telefoni.py": ("Telefoni", ["Bemanningsbehov per timme (Erlang C)"], True),
    "pages/sjukfranvaro.py": ("Sjukfrånvaro", [], True),
    "pages/ekonomi.py": ("Ekonomi", ["Avvikelser mot budget", "Helårsprognos mot årsbudget"], True),
    "pages/datakvalitet.py": ("Datakvalitet", ["Senaste körningar", "Valideringsregler per källa"], False),
    "pages/om_indikatorerna.py": ("Om indikatorerna", ["Produktivitet", "Telefoni"], False),
}


def _fakta(root) -> dict:
    con = lake.connect(root)
    return {"senaste": kpi.senaste_manad(con), "enheter": kpi.enheter(con), "ar": kpi.tillgangliga_ar(con)}


def _ga_till(at: AppTest, fil: str) -> AppTest:
    """Switch page as the browser does: the URL's query string (the bound filters) goes along.

    AppTest's switch_page starts from an empty query string, while a browser keeps it; the real
    navigation is checked in test_webblasare.py."""
    fraga = dict(at.query_params)
    at.switch_page(fil)
    at.query_params = fraga
    return at.run()


def _besok_alla(at: AppTest, har_data: bool = True) -> None:
    """Visit every page in the same session and check it rendered without an exception."""
    for fil, (titel, underrubriker, rutor) in SIDOR.items():
        _ga_till(at, fil)
        assert not at.exception, f"{fil}: {[e.value for e in at.exception]}"
        assert titel in [t.value for t in at.title], f"{fil}: rubrik saknas"
        rubriker = [h.value for h in at.subheader]
        if har_data:
            for r in underrubriker:
                assert any(r in h for h in rubriker), f"{fil}: underrubrik '{r}' saknas i {rubriker}"
        if rutor:
            assert len(at.metric) > 0, f"{fil}: inga nyckeltal"
            assert all(m.label for m in at.metric)


def _ny_app(**query) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params.update(query)
    return at.run()


def test_standardurval_ar_senaste_manadens_tertial(app_env):
    f = _fakta(app_env)
    at = _ny_app()
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.selectbox(key="ar").value == f["senaste"].year
    assert at.sidebar.selectbox(key="period").value == f"T{tertial_of(f['senaste'].month)}"
    # a tertial uses no month: the month choice is not shown at all (a disabled one failed contrast, WCAG 1.4.3)
    assert "manad" not in [s.key for s in at.sidebar.selectbox]
    _besok_alla(at)
    at.sidebar.selectbox(key="period").set_value("Hittills i år").run()
    assert at.sidebar.selectbox(key="manad").value == f["senaste"].month


# Each period kind once and each unit at least once (one, several, all), so the matrix stays small.
KOMBINATIONER = [
    ("Helår", [0]),
    ("T1", [1]),
    ("T2", [2]),
    ("T3", []),
    ("Månad", [0, 1]),
    ("Hittills i år", [2]),
]


@pytest.mark.parametrize(("periodtyp", "enhetsindex"), KOMBINATIONER, ids=[k[0] for k in KOMBINATIONER])
def test_varje_periodtyp_och_enhet(app_env, periodtyp, enhetsindex):
    enheter = _fakta(app_env)["enheter"]
    valda = [enheter[i % len(enheter)] for i in enhetsindex]
    at = _ny_app()
    at.sidebar.selectbox(key="period").set_value(periodtyp)
    at.sidebar.multiselect(key="enhet").set_value(valda).run()
    assert not at.exception, [e.value for e in at.exception]
    _besok_alla(at)
    _ga_till(at, "pages/oversikt.py")
    rubrik = at.caption[0].value
    for enhet in valda or ["Alla enheter"]:
        assert enhet in rubrik


def test_alla_enheter_finns_i_filtret(app_env):
    at = _ny_app()
    assert at.sidebar.multiselect(key="enhet").options == _fakta(app_env)["enheter"]


def test_ar_utan_data(app_env):
    f = _fakta(app_env)
    tomt_ar = max(f["ar"]) + 1
    at = _ny_app()
    at.sidebar.selectbox(key="ar").set_value(tomt_ar).run()
    assert not at.exception
    _besok_alla(at, har_data=False)
    _ga_till(at, "pages/oversikt.py")
    assert at.metric and all(m.value == "–" for m in at.metric), "ett år utan data visar streck, aldrig 0"


def test_urval_foljer_med_mellan_sidor_och_i_lanken(app_env):
    f = _fakta(app_env)
    enhet = f["enheter"][0]
    # The URL alone (a copied link) opens the same view ...
    at = _ny_app(ar=str(f["senaste"].year), period="Månad", manad=MANADER[0], enhet=enhet)
    assert at.sidebar.selectbox(key="period").value == "Månad"
    assert at.sidebar.selectbox(key="manad").value == 1
    assert at.sidebar.multiselect(key="enhet").value == [enhet]
    # ... and the choice survives moving between pages.
    _ga_till(at, "pages/sjukfranvaro.py")
    assert at.sidebar.multiselect(key="enhet").value == [enhet]
    assert f"januari {f['senaste'].year}" in " ".join(c.value for c in at.caption)
    _ga_till(at, "pages/ekonomi.py")
    assert at.sidebar.selectbox(key="period").value == "Månad"
    assert at.query_params.get("enhet") in (enhet, [enhet])


def test_telefoni_kofilter_och_definition(app_env):
    con = lake.connect(app_env)
    koer = kpi.koer(con)
    at = _ny_app()
    _ga_till(at, "pages/telefoni.py")
    at.sidebar.multiselect(key="ko").set_value(koer[:1]).run()
    at.sidebar.selectbox(key="servicegrad").set_value("besvarade").run()
    assert not at.exception
    assert any("÷ besvarade" in c.value for c in at.caption), "bildtexten säger vilken definition som visas"


def test_maluppfyllelse_har_stadens_kolumner(app_env):
    at = _ny_app(flik="Rapporttabell")  # the city's table is a tab of the follow-up page
    _ga_till(at, "pages/maluppfyllelse.py")
    html = " ".join(m.value for m in at.markdown)
    for kolumn in ["Indikator", "Periodens utfall", "Årsmål", "KF:s årsmål", "Period", "Bedömning"]:
        assert f"<th scope='col'>{kolumn}</th>" in html
    assert any(ord_ in html for ord_ in ["Uppfylls helt", "Uppfylls delvis", "Uppfylls ej", "Ej bedömd"])


# page → (chart title, indicator whose target line it draws)
MALLINJER = {
    "pages/produktivitet.py": [
        ("Löner per årsarbetare och månad, per enhet", "loner_per_arsarbetare"),
        ("Löner per årsarbetare och månad, per tertial", "loner_per_arsarbetare"),
        ("Andel maskinell rapportering", "andel_maskinell"),
        ("Pensionsärenden per pensionshandläggare och år", "pensionsarenden_per_handlaggare"),
    ],
    "pages/telefoni.py": [("Servicegrad per månad och kö", "servicegrad"), ("Svarsfrekvens per månad och kö", "svarsfrekvens")],
    "pages/sjukfranvaro.py": [("Sjukfrånvaro, rullande 12 månader, per enhet", "sjukfranvaro_12m")],
}


def _diagram(at: AppTest) -> dict[str, dict]:
    """The page's Plotly figures by their text alternative ('Diagram: <title>. <takeaway>'), as the browser receives them."""
    import json

    ut = {}
    for el in at.get("plotly_chart"):
        alt = el.proto.alt
        assert alt.startswith("Diagram: ") and alt.endswith("."), f"diagrammet saknar textalternativ: {alt!r}"
        ut[alt] = json.loads(el.proto.spec)
    return ut


def _med_titel(figurer: dict[str, dict], titel: str) -> dict:
    (spec,) = [s for alt, s in figurer.items() if alt.startswith(f"Diagram: {titel}. ")]
    return spec


@pytest.mark.parametrize("fil", list(MALLINJER))
@pytest.mark.parametrize("enhet", [None, "Löneenhet Syd"])
def test_mallinjer_och_bedomningar_ar_indikatorns_egna(app_env, fil, enhet):
    f = _fakta(app_env)
    at = _ny_app(**({"enhet": enhet} if enhet else {}))
    _ga_till(at, fil)
    assert not at.exception, [e.value for e in at.exception]
    period = kpi.Period(f["senaste"].year, tertial=tertial_of(f["senaste"].month))
    filters = kpi.Filters(units=(enhet,) if enhet else ())
    con = lake.connect(app_env)
    figurer = _diagram(at)
    for titel, kpi_id in MALLINJER[fil]:
        (r,) = kpi.compute(period, filters, ids=[kpi_id], con=con)
        spec = _med_titel(figurer, titel)
        linjer = [s for s in spec["layout"].get("shapes", []) if s.get("line", {}).get("dash") == "dash"]
        if r.mal is None or not spec.get("data"):  # no target, or nothing drawn ('Inga uppgifter för urvalet')
            assert not linjer, f"{titel}: mållinje utan mål eller utan data"
        else:
            assert len(linjer) == 1 and linjer[0]["y0"] == pytest.approx(r.mal / r.visning.divisor), f"{titel}: fel mållinje"
            assert any(r.mal_text in a.get("text", "") for a in spec["layout"].get("annotations", [])), f"{titel}: fel måletikett"
    # every tile's value and assessment are the catalogue's for the same period and selection
    rutor = [(m.label, m.value) for m in at.metric]
    statusar = [m.value for m in at.markdown if 'class="vu-status"' in m.value]
    resultat = {r.namn: r for r in kpi.compute(period, filters, con=con)}
    assert len(statusar) == len(rutor) > 0
    for (namn, varde), status in zip(rutor, statusar):
        r = resultat[namn]
        assert varde == r.varde_text and r.status_ord in status, r.id


def test_diagram_byggs_en_gang_per_innehall_och_delas_inte_mellan_urval(app_env, monkeypatch):
    """A chart is built once per server for the same content; another unit's selection gets its own, never the cached one."""
    import diagram
    from ui import sida

    sida._delat_diagram.clear()
    byggda = []
    original = diagram.linje_mot_mal

    def raknad(df, *args, **kwargs):
        byggda.append(kwargs.get("titel"))
        return original(df, *args, **kwargs)

    monkeypatch.setattr(diagram, "linje_mot_mal", raknad)
    enheter = _fakta(app_env)["enheter"]
    diagrammen = {}
    for session, enhet in enumerate((enheter[0], enheter[0], enheter[1])):
        at = _ga_till(_ny_app(enhet=enhet), "pages/sjukfranvaro.py")
        assert not at.exception, [e.value for e in at.exception]
        diagrammen[session] = [c.proto.spec for c in at.get("plotly_chart")]
        assert len(byggda) == (2 if session < 2 else 4), f"session {session}: {byggda}"
    assert len(diagrammen[0]) == 2 and diagrammen[1] == diagrammen[0], "samma innehåll: samma diagram"
    assert diagrammen[2] != diagrammen[0], "en annan enhet får sina egna diagram"


def test_rutor_ritas_en_gang_per_innehall_och_roll(app_env, monkeypatch):
    """Översikt's tiles are drawn once per content and replayed for the next session with the same figures, links and
    role; another unit gets its own, and a role that may not open a detail page never gets a cached tile's link."""
    from ui import drill, sida

    sida._delade_rutor.clear()
    ritade = []
    original = sida.ruta
    monkeypatch.setattr(sida, "ruta", lambda *a, **k: ritade.append(a[0].id) or original(*a, **k))
    enheter = _fakta(app_env)["enheter"]

    def rutor_och_lankar(enhet: str) -> tuple[list, list]:
        at = _ny_app(enhet=enhet)
        assert not at.exception, [e.value for e in at.exception]
        lankar = [x.proto.query_string for x in at.get("page_link") if x.proto.label in ("Visa detaljer", "Om indikatorn")]
        return [(m.label, m.value) for m in at.metric], lankar

    forsta, lankar = rutor_och_lankar(enheter[0])
    antal = len(ritade)
    assert antal == len(forsta) > 0 and len(lankar) == len(forsta)
    assert rutor_och_lankar(enheter[0]) == (forsta, lankar) and len(ritade) == antal, "samma innehåll: uppspelat, inte ritat igen"
    annan, _ = rutor_och_lankar(enheter[1])
    assert len(ritade) == 2 * antal and annan != forsta, "en annan enhet får sina egna rutor"
    monkeypatch.setattr(drill, "mal", lambda _id: None)  # a role that may open no detail page
    utan, utan_lankar = rutor_och_lankar(enheter[0])
    assert utan == forsta and not utan_lankar, "rollen ingår i nyckeln: inga länkar ur en annan rolls rutor"
