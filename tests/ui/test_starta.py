"""`make start` (scripts/starta.py): loopback only without [auth], the [auth] settings checked before the server starts."""

from __future__ import annotations

import contextlib
import gc
import os
import subprocess
import sys
import time
import tomllib
import urllib.request

import psutil
import pytest

from scripts import starta
from scripts.streamlit_server import ledig_port
from tests.ui.conftest import REPO

KOMPLETT = {
    "redirect_uri": "https://uppfoljning.stad.test/oauth2callback",
    "cookie_secret": "a" * 64,
    "client_id": "id",
    "client_secret": "hemlighet",
    "server_metadata_url": "https://login.microsoftonline.com/x/v2.0/.well-known/openid-configuration",
}


@pytest.fixture(autouse=True)
def streamlits_konfiguration_aterstalls():
    """starta.hemlighetsfiler parses Streamlit's global config with test flags; later AppTests must not inherit them."""
    from streamlit import config

    yield
    config.get_config_options(force_reparse=True)


def test_utan_auth_bara_loopback():
    args = starta.streamlit_argument(["--server.port", "8600"], None)
    assert args[args.index("--server.address") + 1] == "127.0.0.1"
    assert "localhost" in args and args.count("--server.allowedHosts") == 2  # no DNS rebinding onto a local app
    assert starta.streamlit_argument(["--server.address", "localhost"], None).count("--server.address") == 1
    with pytest.raises(starta.Startfel, match="lyssnar appen bara på 127.0.0.1"):
        starta.streamlit_argument(["--server.address", "0.0.0.0"], None)


def test_med_auth_lyssnar_pa_vald_adress(monkeypatch):
    monkeypatch.setenv("VU_BEHORIGHETER", str(REPO / "config" / "behorigheter.toml"))
    monkeypatch.setenv("VU_ADRESS", "10.1.2.3")
    args = starta.streamlit_argument([], KOMPLETT)
    assert args == ["--server.address", "10.1.2.3"]
    monkeypatch.delenv("VU_ADRESS")
    assert starta.streamlit_argument([], KOMPLETT) == ["--server.address", "0.0.0.0"]
    # Entra ID in a named section ([auth.microsoft]) is accepted too.
    namngiven = {k: KOMPLETT[k] for k in ("redirect_uri", "cookie_secret")} | {
        "microsoft": {k: KOMPLETT[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    }
    assert starta.kontrollera_auth(namngiven) == []


@pytest.mark.parametrize(
    ("andring", "fel"),
    [
        ({"redirect_uri": None}, "redirect_uri saknas"),
        ({"redirect_uri": "https://uppfoljning.stad.test/callback"}, "slutar på /oauth2callback"),
        ({"redirect_uri": "http://uppfoljning.stad.test/oauth2callback"}, "https"),
        ({"cookie_secret": "kort"}, "minst 32 tecken"),
        ({"client_secret": ""}, "client_secret saknas"),
        ({"client_id": None, "client_secret": None, "server_metadata_url": None}, "client_id, client_secret och server_metadata_url saknas"),
    ],
)
def test_ofullstandig_auth_startar_inte(andring, fel):
    auth = {k: v for k, v in (KOMPLETT | andring).items() if v is not None}
    with pytest.raises(starta.Startfel, match=fel):
        starta.streamlit_argument([], auth)


def test_trasig_behorighetsfil_startar_inte(tmp_path, monkeypatch, capsys):
    fil = tmp_path / "b.toml"
    fil.write_text('kontakt = "x"\n[[regel]]\ngrupp = "g"\nroll = "chef"\n', encoding="utf-8")
    monkeypatch.setenv("VU_BEHORIGHETER", str(fil))
    with pytest.raises(starta.Startfel, match="okänd roll"):
        starta.streamlit_argument([], KOMPLETT)
    monkeypatch.delenv("VU_BEHORIGHETER")
    starta.streamlit_argument([], KOMPLETT)
    assert "behörighetsfilen är exemplet" in capsys.readouterr().err


def test_exempelfilen_ar_komplett_sa_nar_som_ifylld():
    auth = tomllib.loads((REPO / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8"))["auth"]
    assert starta.kontrollera_auth(auth) == []
    assert auth["client_kwargs"]["scope"].split()[0] == "openid"


def test_hemlighetsfiler_och_auth_sektion(tmp_path):
    fil = tmp_path / "secrets.toml"
    fil.write_text('[auth]\nredirect_uri = "x"\n', encoding="utf-8")
    assert starta.hemlighetsfiler(["--secrets.files", str(fil)]) == [fil]
    assert starta.auth_sektion([fil, tmp_path / "saknas.toml"]) == {"redirect_uri": "x"}
    (tmp_path / "tom.toml").write_text("# inget\n", encoding="utf-8")
    assert starta.auth_sektion([tmp_path / "tom.toml"]) is None
    (tmp_path / "trasig.toml").write_text("[auth\n", encoding="utf-8")
    with pytest.raises(starta.Startfel, match="kan inte läsas"):
        starta.auth_sektion([tmp_path / "trasig.toml"])


def test_oppen_adress_utan_inloggning_vagras_innan_servern_startar(tmp_path):
    (tmp_path / "tom.toml").write_text("", encoding="utf-8")
    ut = subprocess.run(
        [sys.executable, "scripts/starta.py", "--secrets.files", str(tmp_path / "tom.toml"), "--server.address", "0.0.0.0"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ut.returncode == 2 and "Startar inte: utan inloggning" in ut.stderr and "127.0.0.1" in ut.stderr


def test_lokalt_lage_lyssnar_bara_pa_127_0_0_1(ui_lake, tmp_path):
    """The real server as `make start` starts it without [auth]: every listening socket is on the loopback address."""
    (tmp_path / "tom.toml").write_text("", encoding="utf-8")
    port = ledig_port()
    env = {**os.environ, "VU_PARQUET": str(ui_lake), "VU_RAW": str(tmp_path / "tom_raw")}
    process = subprocess.Popen(
        [sys.executable, "scripts/starta.py", "--secrets.files", str(tmp_path / "tom.toml"), "--server.port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        slut = time.monotonic() + 60
        while time.monotonic() < slut:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as svar:
                    if svar.status == 200:
                        break
            assert process.poll() is None, process.stdout.read()
            time.sleep(0.3)
        lyssnar = [k.laddr for k in psutil.Process(process.pid).net_connections(kind="inet") if k.status == psutil.CONN_LISTEN]
        assert lyssnar and all(a.ip == "127.0.0.1" for a in lyssnar), lyssnar
        assert any(a.port == port for a in lyssnar)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        process.wait(timeout=15)
    assert "Lokalt läge – ingen inloggning" in process.stdout.read()


def test_forvarmningen_oppnar_sjon_och_tal_en_trasig(ui_lake, tmp_path, monkeypatch):
    """Before the first session: the pages' modules are loaded and the lake's connection for its data version is open
    with its per-version facts read;
    a lake that cannot be opened does not stop the server (the first page view explains it in Swedish). What is loaded
    then is frozen, so the collector no longer walks it during a rush."""
    import lake

    lake.anslutning.cache_clear()
    monkeypatch.setenv("VU_PARQUET", str(ui_lake))
    gc.unfreeze()
    starta.forvarm()
    assert lake.anslutning.cache_info().currsize == 1
    assert {"kpi.queries", "uppfoljning.lagring", "report.apt", "plotly.graph_objects", "ui.sida", "ui.kapacitet"} <= set(sys.modules)
    # what every session asks for first is read already: the filters' lists and the year's targets, per connection
    from streamlit import delta_generator

    from kpi.minne import _MINNE

    las = _MINNE[lake.anslutning(str(ui_lake), lake.dataversion(str(ui_lake)))]
    assert ("filterlistor",) in las and any(k[0] == "mal" for k in las)
    assert las[("filterlistor",)]["enheter"]
    assert delta_generator._use_warning_has_been_displayed  # no inspect.stack() on a session's first element
    assert gc.get_freeze_count() > 10_000  # the loaded modules are out of the collector's way
    gc.unfreeze()

    trasig = tmp_path / "trasig"
    (trasig / "_lake").mkdir(parents=True)
    (trasig / "_lake" / "manifest.parquet").write_bytes(b"inte parquet")
    monkeypatch.setenv("VU_PARQUET", str(trasig))
    starta.forvarm()
    gc.unfreeze()
    lake.anslutning.cache_clear()
