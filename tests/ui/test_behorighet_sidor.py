"""Login in AppTest: every page × every role with a signed-in user (st.user), unit scope, refusals and the access log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

import behorighet
from behorighet import ROLLER, SIDOR
from tests.ui.conftest import REPO
from ui.sidkarta import SIDKARTA

ALLA_ENHETER = ["Löneenhet Nord", "Löneenhet Syd", "Pensionsenheten"]  # the committed sample's units

# [auth] as in .streamlit/secrets.toml; AppTest never contacts the provider, it seeds st.user directly.
AUTH = {
    "auth": {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "0123456789abcdef0123456789abcdef",
        "client_id": "vu-dashboard",
        "client_secret": "hemlighet",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}

# One signed-in person per role, with the claims Entra ID sends (groups as in config/behorigheter.toml).
PERSONER = {
    "verksamhetschef": {"email": "verksamhetschef@stad.test", "name": "Vera", "groups": ["vu-verksamhetschef"]},
    "enhetschef": {"email": "enhetschef.nord@stad.test", "name": "Elin", "groups": ["vu-enhetschef-nord", "alla-medarbetare"]},
    "controller": {"email": "controller@stad.test", "name": "Carl", "groups": ["vu-controller"]},
    "dataansvarig": {"email": "dataansvarig@stad.test", "name": "Dana", "groups": ["vu-dataansvarig"]},
}
ENHETER = {"verksamhetschef": ALLA_ENHETER, "enhetschef": ["Löneenhet Nord"], "controller": ALLA_ENHETER, "dataansvarig": []}
SIDFILER = [(fil, titel) for rader in SIDKARTA.values() for fil, titel, _ in rader]


@pytest.fixture()
def logg(app_env, tmp_path, monkeypatch) -> Path:
    """The access log in a temporary file; the example mapping file (config/behorigheter.toml)."""
    fil = tmp_path / "logg" / "atkomst.jsonl"
    monkeypatch.setenv("VU_ATKOMSTLOGG", str(fil))
    monkeypatch.delenv("VU_BEHORIGHETER", raising=False)
    monkeypatch.setenv("VU_APT_SET", str(tmp_path / "apt_set"))  # saved slide-set names are shared text, not unit data
    return fil


def _app(ansprak: dict | None, secrets: dict | None = AUTH, **query) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    if secrets:
        at.secrets = secrets
    at.user = {"is_logged_in": True, **ansprak} if ansprak is not None else {"is_logged_in": False}
    at.query_params.update(query)
    return at.run()


def _ga_till(at: AppTest, fil: str) -> AppTest:
    """Switch page keeping the query string, as the browser does."""
    fraga = dict(at.query_params)
    at.switch_page(fil)
    at.query_params = fraga
    return at.run()


def _texter(at: AppTest) -> str:
    """Everything the run put on screen as text: headings, Markdown, metrics, tables, chart data and widget options."""
    delar = [e.value for typ in ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info", "success") for e in at.get(typ)]
    delar += [f"{m.label} {m.value}" for m in at.metric]
    delar += [d.value.to_csv() for d in at.dataframe]
    delar += [p.proto.spec for p in at.get("plotly_chart")]
    delar += [" ".join(map(str, w.options)) for w in [*at.selectbox, *at.multiselect]]
    return "\n".join(map(str, delar))


def _data_pa_sidan(at: AppTest) -> int:
    """How many data elements (tiles, tables, HTML report tables, charts) the page drew."""
    return len(at.metric) + len(at.dataframe) + len(at.get("plotly_chart")) + sum("<table" in m.value for m in at.markdown)


@pytest.mark.parametrize("roll", list(PERSONER))
def test_roll_och_sida(logg, roll):
    """The role × page matrix: allowed pages render with data; the others show only the Swedish refusal."""
    at = _app(PERSONER[roll])
    assert not at.exception, [e.value for e in at.exception]
    assert set(behorighet.aktuella().anvandare(PERSONER[roll]).roller) == {roll}
    if roll != "dataansvarig":
        assert at.sidebar.multiselect(key="enhet").options == ENHETER[roll], "enhetsfiltret erbjuder bara rollens enheter"
    else:
        assert not [m for m in at.sidebar.multiselect if m.key == "enhet"], "dataansvarig ser inga enhetsuppgifter och får inget enhetsfilter"
    for fil, titel in SIDFILER:
        sida = Path(fil).stem
        _ga_till(at, fil)
        assert not at.exception, f"{roll} på {sida}: {[e.value for e in at.exception]}"
        fel = [e.value for e in at.error]
        if roll in SIDOR[sida]:
            if sida == "apt_lage":  # the slide show draws its own projector-sized title
                assert any('class="apt-titel"' in h.proto.body for h in at.get("html")), f"{roll}: APT-bilden saknas"
            else:
                assert titel in [t.value for t in at.title], f"{roll} på {sida}: rubriken saknas"
            assert not any("behörighet" in f for f in fel), f"{roll} nekades {sida}: {fel}"
            if sida not in ("om_indikatorerna", "datakvalitet", "apt_lage", "tillganglighet"):  # pages without unit figures
                assert _data_pa_sidan(at) > 0, f"{roll} på {sida}: inga uppgifter"
            texter = _texter(at)
            if sida == "sjukfranvaro":  # the per-unit table and chart: proof that _texter sees the data
                assert all(e in texter for e in ENHETER[roll]), f"{roll}: sina enheter saknas på {sida}"
            for annan in set(ALLA_ENHETER) - set(ENHETER[roll]) if roll == "enhetschef" else ():
                assert annan not in texter, f"enhetschef ser {annan} på {sida}"
        else:
            assert titel in [t.value for t in at.title], f"{roll} på {sida}: rubriken saknas"
            assert any("Du har inte behörighet till sidan" in f for f in fel), f"{roll} på {sida}: ingen vägran ({fel})"
            assert _data_pa_sidan(at) == 0, f"{roll} på {sida}: uppgifter trots vägran"
    poster = behorighet.las_logg(logg)
    assert [p["handelse"] for p in poster].count("inloggning") == 1, "en inloggning per session"
    nekade = {p["sida"] for p in poster if p["handelse"] == "nekad"}
    assert nekade == {s for s in SIDOR if roll not in SIDOR[s]}
    visade = {p["sida"] for p in poster if p["handelse"] == "sida"}
    assert visade == {s for s in SIDOR if roll in SIDOR[s]}
    assert all(p["anvandare"] == PERSONER[roll]["email"] and p["roller"] == [roll] for p in poster)


def test_matrisen_tacker_varje_sida():
    """Every page of the navigation is declared in the matrix (an undeclared page would be closed to everyone)."""
    assert {Path(fil).stem for fil, _ in SIDFILER} == set(SIDOR)
    assert set().union(*SIDOR.values()) <= set(ROLLER)


def test_enhetschef_med_flera_enheter_ser_bara_sina(logg):
    """A unit manager of two units: both offered, 'all' means those two, the third never appears on the unit pages."""
    at = _app({"email": "Enhetschef.Syd@stad.test", "name": "Sven"})  # matched by e-mail, case-insensitively
    assert at.sidebar.multiselect(key="enhet").options == ["Löneenhet Syd", "Pensionsenheten"]
    assert "Löneenhet Syd, Pensionsenheten" in at.caption[0].value
    for fil in ("pages/sjukfranvaro.py", "pages/ekonomi.py", "pages/produktivitet.py"):
        _ga_till(at, fil)
        assert not at.exception
        assert "Löneenhet Nord" not in _texter(at), fil
    at.sidebar.multiselect(key="enhet").set_value(["Pensionsenheten"]).run()
    assert "Pensionsenheten" in at.caption[0].value and "Löneenhet Syd" not in at.caption[0].value


@pytest.mark.parametrize(
    "fraga",
    [{"enhet": "Löneenhet Syd"}, {"enhet": ["Löneenhet Nord", "Pensionsenheten"]}, {"enhet": "[Klicka här](https://evil.example/login)"}],
    ids=["annan_enhet", "egen_och_annan", "lank_i_url"],
)
def test_handredigerad_lank_till_annan_enhet_nekas(logg, fraga):
    """A hand-edited URL for another unit shows the data layer's Swedish reason and no data; the log records it."""
    at = _app(PERSONER["enhetschef"], **fraga)
    _ga_till(at, "pages/sjukfranvaro.py")
    assert not at.exception
    assert [t.value for t in at.title] == ["Urvalet är inte tillåtet"]
    fel = " ".join(e.value for e in at.error)
    assert "Du har inte behörighet till" in fel and "Dina enheter" in fel
    assert "](" not in fel.replace("\\](", "").replace("\\(", ""), "namnet ur adressen visas som text, aldrig som länk"
    assert _data_pa_sidan(at) == 0
    nekad = [p for p in behorighet.las_logg(logg) if p["handelse"] == "nekad"]
    assert nekad and "Du har inte behörighet till" in nekad[-1]["orsak"]
    # "Visa mina enheter" takes the foreign unit out of the address and shows the user's own data.
    at.button(key="vu_visa_mina_enheter").click().run()
    kvar = at.query_params.get("enhet", [])
    assert not {kvar} - {"Löneenhet Nord"} if isinstance(kvar, str) else set(kvar) <= {"Löneenhet Nord"}, kvar
    assert "Sjukfrånvaro" in [t.value for t in at.title] and _data_pa_sidan(at) > 0


def test_verksamhetschef_far_oppna_lank_till_vilken_enhet_som_helst(logg):
    at = _app(PERSONER["verksamhetschef"], enhet="Löneenhet Syd")
    _ga_till(at, "pages/sjukfranvaro.py")
    assert not at.error and "Löneenhet Syd" in at.caption[0].value and _data_pa_sidan(at) > 0


def test_utan_inloggning_visas_bara_inloggningen(logg):
    at = _app(None, enhet="Löneenhet Syd")
    assert not at.exception
    assert [t.value for t in at.title] == ["Verksamhetsuppföljning"]
    assert [b.label for b in at.button] == ["Logga in"]
    assert _data_pa_sidan(at) == 0 and not at.sidebar.multiselect and not at.sidebar.selectbox
    assert not logg.exists(), "ingen inloggning, inget att logga"


def test_inloggad_utan_behorighet_ser_bara_kontakten(logg):
    at = _app({"email": "besokare@stad.test", "name": "Olle", "groups": ["alla-medarbetare"]})
    assert [t.value for t in at.title] == ["Du saknar behörighet"]
    assert "Du saknar behörighet – kontakta" in at.error[0].value
    assert _data_pa_sidan(at) == 0 and not at.sidebar.selectbox
    _ga_till(at, "pages/ekonomi.py")
    assert [t.value for t in at.title] == ["Du saknar behörighet"] and _data_pa_sidan(at) == 0
    (post,) = behorighet.las_logg(logg)
    assert post["handelse"] == "inloggning" and post["utfall"] == "saknar behörighet" and post["anvandare"] == "besokare@stad.test"


def test_utgangen_inloggning_maste_goras_om(logg):
    at = _app({**PERSONER["verksamhetschef"], "iat": 1_000_000_000})  # signed in in 2001
    assert [t.value for t in at.title] == ["Verksamhetsuppföljning"]
    assert "har gått ut" in at.warning[0].value and _data_pa_sidan(at) == 0


def test_trasig_behorighetsfil_stanger_for_alla(logg, tmp_path, monkeypatch):
    fil = tmp_path / "behorigheter.toml"
    fil.write_text('kontakt = "x"\n[[regel]]\ngrupp = "vu-verksamhetschef"\nroll = "chef"\n', encoding="utf-8")
    monkeypatch.setenv("VU_BEHORIGHETER", str(fil))
    at = _app(PERSONER["verksamhetschef"])
    assert [t.value for t in at.title] == ["Behörigheterna kan inte läsas"]
    assert "okänd roll" in at.error[0].value and _data_pa_sidan(at) == 0


def test_lokalt_lage_utan_auth_har_en_diskret_skylt(app_env, tmp_path, monkeypatch):
    monkeypatch.setenv("VU_ATKOMSTLOGG", str(tmp_path / "atkomst.jsonl"))
    at = _app({}, secrets=None)
    assert not at.exception
    assert "Lokalt läge – ingen inloggning" in at.sidebar.caption[0].value
    assert at.sidebar.multiselect(key="enhet").options == ALLA_ENHETER
    assert not (tmp_path / "atkomst.jsonl").exists(), "lokalt läge har ingen inloggning att logga"


def test_atkomstloggen_far_sida_nedladdning_och_rapport(logg, monkeypatch):
    """Sign-in, page view with the unit selection, a CSV download and the APT deck: each a JSON line, scoped to the unit."""
    filer: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def spara(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        filer[file_name] = data_callable  # the real callable the browser's click would run
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spara)
    at = _app(PERSONER["enhetschef"])
    _ga_till(at, "pages/sjukfranvaro.py")
    csv_namn = next(n for n in filer if n.startswith("sjukfranvaro_per_enhet") and n.endswith(".csv"))
    csv = filer[csv_namn]().decode("utf-8-sig")
    assert "Löneenhet Nord" in csv and "Löneenhet Syd" not in csv and "Pensionsenheten" not in csv
    _ga_till(at, "pages/apt_lage.py")
    at.multiselect(key="apt_bilder").set_value(["sjukfranvaro_12m"]).run()  # a one-slide deck keeps the test quick
    pptx = next(n for n in filer if n.startswith("apt_") and n.endswith(".pptx"))
    assert filer[pptx]()[:2] == b"PK"

    poster = behorighet.las_logg(logg)
    handelser = [p["handelse"] for p in poster]
    assert handelser[0] == "inloggning" and {"sida", "nedladdning", "rapport"} <= set(handelser)
    (ned,) = [p for p in poster if p["handelse"] == "nedladdning"]
    assert ned["fil"] == csv_namn and ned["sida"] == "sjukfranvaro" and ned["anvandare"] == "enhetschef.nord@stad.test"
    (rapport,) = [p for p in poster if p["handelse"] == "rapport"]
    assert rapport["fil"] == pptx and rapport["enheter"] == ["Löneenhet Nord"]
    sida = next(p for p in poster if p["handelse"] == "sida" and p["sida"] == "sjukfranvaro")
    assert sida["enheter"] == ["Löneenhet Nord"] and sida["period"]
    # Append-only JSON lines, one session id per visit.
    rader = logg.read_text(encoding="utf-8").splitlines()
    assert [json.loads(r) for r in rader] == poster and len({p["session"] for p in poster}) == 1


def test_utloggning_loggas(logg):
    at = _app(PERSONER["controller"])
    at.sidebar.button(key="vu_logga_ut").click().run()
    assert [p["handelse"] for p in behorighet.las_logg(logg)][-1] == "utloggning"


def test_bara_dataansvarig_far_lasa_in_igen(logg, ui_lake, tmp_path, monkeypatch):
    """The ETL re-run button: dataansvarig gets it and it runs the ETL (logged); verksamhetschef sees Datakvalitet without it."""
    import shutil

    import lake

    kopia = tmp_path / "parquet"
    shutil.copytree(ui_lake, kopia)  # the re-run writes a run log: never into the shared sample lake
    monkeypatch.setenv("VU_PARQUET", str(kopia))
    (tmp_path / "tom_raw").mkdir()
    monkeypatch.setenv("VU_RAW", str(tmp_path / "tom_raw"))
    monkeypatch.setenv("VU_QUARANTINE", str(tmp_path / "karantan"))
    chef = _ga_till(_app(PERSONER["verksamhetschef"]), "pages/datakvalitet.py")
    assert not [b for b in chef.button if b.key == "vu_kor_etl"]

    at = _app(PERSONER["dataansvarig"])
    assert [t.value for t in at.title] == ["Datakvalitet"], "dataansvarig landar på sin första tillåtna sida"

    def korningar() -> int:
        return lake.query(lake.connect(kopia), "SELECT count(*) AS n FROM etl_korningar")["n"][0]

    fore = korningar()
    at.button(key="vu_kor_etl").click().run()
    assert not at.exception
    assert korningar() == fore + 1
    (etl,) = [p for p in behorighet.las_logg(logg) if p["handelse"] == "etl"]
    assert etl["anvandare"] == "dataansvarig@stad.test"


def test_enhetschefens_alla_ar_samma_tal_som_egen_enhet_vald(logg):
    """'All units' for an enhetschef is exactly their own unit chosen by a verksamhetschef: every tile of Översikt alike."""
    fil = "pages/oversikt.py"
    chef = _ga_till(_app(PERSONER["enhetschef"]), fil)
    vc = _ga_till(_app(PERSONER["verksamhetschef"], enhet="Löneenhet Nord"), fil)
    alla = _ga_till(_app(PERSONER["verksamhetschef"]), fil)
    tal = [(m.label, m.value) for m in chef.metric]
    assert tal and tal == [(m.label, m.value) for m in vc.metric]
    assert tal != [(m.label, m.value) for m in alla.metric], "provet skiljer en enhet från alla enheter"
