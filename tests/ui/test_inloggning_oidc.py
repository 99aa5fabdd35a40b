"""Real login: an OpenID Connect provider (oidc-provider on Node) on 127.0.0.1, the app started as `make start` does, Chromium.

One server and two browser sessions: an enhetschef and a verksamhetschef sign in through the provider's login page.
"""

from __future__ import annotations

import contextlib
import os
import queue
import secrets
import shutil
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

import behorighet
from scripts.axe_rapport import kor_axe
from scripts.skarmbilder import starta_webblasare, vanta_klar
from scripts.streamlit_server import server
from tests.ui.conftest import REPO

NODE_MAPP = REPO / "tests" / "node"
EXEMPEL = REPO / "config" / "behorigheter.toml"
ENHETSCHEF = ("enhetschef.nord@stad.test", "ec-losen-1")
VERKSAMHETSCHEF = ("verksamhetschef@stad.test", "vc-losen-1")
SYD = quote("Löneenhet Syd")


@pytest.fixture(scope="module")
def oidc_leverantor():
    """tests/node/oidc_provider.mjs on a free loopback port; yields its issuer URL, stopped afterwards."""
    node = shutil.which("node")
    assert node, "Node.js saknas (scripts/ensure_system.sh installerar det)"
    assert (NODE_MAPP / "node_modules" / "oidc-provider").is_dir(), "kör npm ci i tests/node (scripts/ensure_system.sh)"
    process = subprocess.Popen(
        [node, str(NODE_MAPP / "oidc_provider.mjs")],
        cwd=NODE_MAPP,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    # A thread drains the provider's output for its whole life (a full pipe would block it) and hands over the lines.
    rader: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [rader.put(r) for r in process.stdout], daemon=True).start()
    try:
        utskrift: list[str] = []
        slut = time.monotonic() + 30
        while not (utskrift and utskrift[-1].startswith("LYSSNAR ")):
            try:
                utskrift.append(rader.get(timeout=max(0.1, slut - time.monotonic())))
            except queue.Empty:
                pytest.fail("OIDC-leverantören startade inte: " + "".join(utskrift))
        yield utskrift[-1].split()[1]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        process.wait(timeout=10)


def _secrets(mapp: Path, issuer: str) -> Path:
    """The [auth] section IT writes for Entra ID, pointed at the local provider ({port} is filled in by Streamlit)."""
    fil = mapp / "secrets.toml"
    fil.write_text(
        f"""[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "vu-dashboard"
client_secret = "vu-dashboard-hemlighet-endast-for-test"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
client_kwargs = {{ scope = "openid email profile groups", prompt = "login" }}
""",
        encoding="utf-8",
    )
    return fil


def _logga_in(sida, url: str, epost: str, losenord: str, fel_forst: bool = False) -> None:
    """Click the app's Logga in, sign in on the provider's own page, land back in the app."""
    sida.get_by_role("button", name="Logga in").click()
    sida.wait_for_url("**/interaction/**")
    if fel_forst:
        sida.fill("#epost", epost)
        sida.fill("#losenord", "fel-losenord")
        sida.get_by_role("button", name="Logga in").click()
        assert "Fel e-post eller lösenord" in sida.locator("#fel").inner_text()
    sida.fill("#epost", epost)
    sida.fill("#losenord", losenord)
    sida.get_by_role("button", name="Logga in").click()
    sida.wait_for_url(f"{url}/**")
    vanta_klar(sida)


def _huvud(sida) -> str:
    return sida.locator('[data-testid="stMain"]').inner_text()


def _meny(sida) -> list[str]:
    """The page links the sidebar navigation shows."""
    return [t.strip().splitlines()[-1] for t in sida.locator(".st-key-vu_meny a").all_inner_texts()]  # after the icon's name


def _enhetsval(sida) -> list[str]:
    """The options the sidebar's unit filter offers (opened as a user opens it)."""
    falt = sida.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    # centred first: at the sidebar's bottom edge the list has no room to open (a longer navigation puts it there)
    falt.evaluate("e => e.scrollIntoView({block: 'center'})")
    falt.click()
    sida.wait_for_selector('[role="option"]')
    val = [
        t.strip() for t in sida.locator('[role="option"]').all_inner_texts() if t.strip() not in ("Select all", "Välj alla")
    ]  # Streamlit's own entry
    sida.keyboard.press("Escape")
    return val


@pytest.mark.browser
def test_inloggning_med_riktig_leverantor(ui_lake, oidc_leverantor, tmp_path):
    from playwright.sync_api import sync_playwright

    logg = tmp_path / "atkomst.jsonl"
    miljo = {"VU_ATKOMSTLOGG": str(logg), "VU_BEHORIGHETER": str(EXEMPEL), "VU_APT_SET": str(tmp_path / "apt_set")}
    with server(ui_lake, secrets=_secrets(tmp_path, oidc_leverantor), env=miljo) as url, sync_playwright() as p:
        webblasare = starta_webblasare(p)
        try:
            # 1. Not signed in: a deep link for a unit, as the fresh server's very first request, shows only the login.
            kontext = webblasare.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            sida = kontext.new_page()
            sida.goto(f"{url}/sjukfranvaro?enhet={SYD}")
            vanta_klar(sida)
            assert sida.get_by_role("button", name="Logga in").is_visible()
            text = sida.locator('[data-testid="stApp"]').inner_text()
            assert "Löneenhet" not in text and "Sjukfrånvaro" not in text and "Pensionsenheten" not in text
            assert not _meny(sida) and not sida.locator(".js-plotly-plot").count()
            # The login page is accessible too (WCAG 2.1 AA, Swedish) and offers the accessibility statement.
            assert sida.evaluate("() => document.documentElement.lang") == "sv" and sida.title() == "Verksamhetsuppföljning"
            assert kor_axe(sida)["violations"] == []
            sida.get_by_text("Tillgänglighetsredogörelse", exact=True).click()
            sida.get_by_text("Rapportera brister i webbtjänstens tillgänglighet").wait_for()

            # 2. The enhetschef signs in (a wrong password first) and sees only Löneenhet Nord.
            _logga_in(sida, url, *ENHETSCHEF, fel_forst=True)
            sida.get_by_role("heading", name="Översikt").first.wait_for()
            assert "Löneenhet Nord" in _huvud(sida)
            assert "Datakvalitet" not in _meny(sida) and "Sjukfrånvaro" in _meny(sida)
            assert _enhetsval(sida) == ["Löneenhet Nord"]
            assert "Inloggad som Elin Enhetschef" in sida.locator('[data-testid="stSidebar"]').inner_text()

            sida.get_by_role("link", name="Sjukfrånvaro").click()
            sida.locator("h1", has_text="Sjukfrånvaro").first.wait_for()
            vanta_klar(sida)
            sida.wait_for_selector(".js-plotly-plot")
            text = _huvud(sida)
            assert "Löneenhet Nord" in text and "Löneenhet Syd" not in text and "Pensionsenheten" not in text
            with sida.expect_download() as nedladdning:
                sida.get_by_role("button", name="CSV", exact=True).first.click()
            csv = Path(nedladdning.value.path()).read_text(encoding="utf-8-sig")
            assert "Löneenhet Nord" in csv and "Löneenhet Syd" not in csv and "Pensionsenheten" not in csv

            # A hand-edited link to another unit: the reason, no data.
            sida.goto(f"{url}/sjukfranvaro?enhet={SYD}")
            vanta_klar(sida)
            sida.get_by_role("heading", name="Urvalet är inte tillåtet").wait_for()
            assert "Du har inte behörighet till Löneenhet Syd" in _huvud(sida)
            assert not sida.locator(".js-plotly-plot").count() and not sida.locator('[data-testid="stMetric"]').count()
            # A page outside the role, typed into the address bar.
            sida.goto(f"{url}/datakvalitet")
            vanta_klar(sida)
            assert "Du har inte behörighet till sidan Datakvalitet" in _huvud(sida)
            assert not sida.locator('[data-testid="stDataFrame"]').count()
            kontext.close()

            # 3. The verksamhetschef, in a browser session of its own, sees every unit and Datakvalitet.
            kontext = webblasare.new_context(viewport={"width": 1400, "height": 1000})
            sida = kontext.new_page()
            sida.goto(f"{url}/")
            vanta_klar(sida)
            _logga_in(sida, url, *VERKSAMHETSCHEF)
            sida.get_by_role("heading", name="Översikt").first.wait_for()
            assert "Alla enheter" in _huvud(sida)
            assert "Datakvalitet" in _meny(sida)
            assert _enhetsval(sida) == ["Löneenhet Nord", "Löneenhet Syd", "Pensionsenheten"]
            sida.goto(f"{url}/sjukfranvaro?enhet={SYD}")
            vanta_klar(sida)
            sida.locator("h1", has_text="Sjukfrånvaro").first.wait_for()
            sida.wait_for_selector(".js-plotly-plot")
            assert "Löneenhet Syd" in _huvud(sida) and "behörighet" not in _huvud(sida)
            # Signing out clears the app's cookie and ends the provider's session too (RP-initiated logout).
            sida.get_by_role("button", name="Logga ut").click()
            sida.wait_for_url("**/session/end**")
            sida.get_by_role("button", name="Yes, sign me out").click()  # the provider's own confirmation page
            sida.wait_for_url(f"{url}/**")
            vanta_klar(sida)
            assert sida.get_by_role("button", name="Logga in").is_visible()
            sida.goto(f"{url}/sjukfranvaro")
            vanta_klar(sida)
            assert sida.get_by_role("button", name="Logga in").is_visible()
            assert not sida.locator(".js-plotly-plot").count()
            kontext.close()
        finally:
            webblasare.close()

    poster = behorighet.las_logg(logg)
    chef = [p for p in poster if p["anvandare"] == ENHETSCHEF[0]]
    assert [p["handelse"] for p in chef][0] == "inloggning" and chef[0]["enheter"] == ["Löneenhet Nord"]
    assert {"sida", "nedladdning", "nekad"} <= {p["handelse"] for p in chef}
    assert all(p["enheter"] == ["Löneenhet Nord"] for p in chef if p["handelse"] == "sida")
    assert {p["sida"] for p in chef if p["handelse"] == "nekad"} == {"sjukfranvaro", "datakvalitet"}
    (ned,) = [p for p in chef if p["handelse"] == "nedladdning"]
    assert ned["fil"].endswith(".csv") and ned["sida"] == "sjukfranvaro"
    vc = [p["handelse"] for p in poster if p["anvandare"] == VERKSAMHETSCHEF[0]]
    assert vc[0] == "inloggning" and "sida" in vc and vc[-1] == "utloggning"
