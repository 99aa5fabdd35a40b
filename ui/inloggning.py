"""Login in the app: Streamlit's OIDC (st.login / st.user) → behorighet.Anvandare, its pages, refusals and the access log."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from pathlib import Path

import streamlit as st

import behorighet
from behorighet import LOKAL, Anvandare, Behorighetsfilfel, Loggfel
from sakerhet import markdown_text
from ui.sidkarta import SIDKARTA

ANVANDARE_NYCKEL = "_vu_anvandare"
_SESSION_NYCKEL = "_vu_session"
_INLOGGNING_LOGGAD = "_vu_inloggning_loggad"
_SENASTE_VY = "_vu_senaste_vy"
SIDOBJEKT = "_vu_sidobjekt"  # this run's st.Page per page file (navigation() sets it, ui/drill.py links with it)


def inloggning_pa() -> bool:
    """True when .streamlit/secrets.toml (or --secrets.files) has an [auth] section: then every page requires login."""
    try:
        return bool(st.secrets.get("auth"))
    except FileNotFoundError:  # no secrets file at all: local mode
        return False


def _leverantor() -> str | None:
    """The provider name for st.login: None when [auth] itself holds client_id, else the first [auth.<namn>] that does."""
    auth = st.secrets["auth"]
    if "client_id" in auth:
        return None
    return next((namn for namn, v in auth.items() if isinstance(v, Mapping) and "client_id" in v), None)


def _session() -> str:
    """A short random id per browser session, so the log's lines of one visit can be told apart."""
    if _SESSION_NYCKEL not in st.session_state:
        st.session_state[_SESSION_NYCKEL] = secrets.token_hex(6)
    return st.session_state[_SESSION_NYCKEL]


def logga(handelse: str, anvandare: Anvandare | str, **falt) -> None:
    """Write to the access log (not in local mode); a log that cannot be written stops the page: no data unlogged."""
    if anvandare is LOKAL:
        return
    try:
        behorighet.logga(handelse, anvandare, session=_session(), **falt)
    except Loggfel as fel:
        st.error(markdown_text(fel))
        st.stop()


def _sidor(far_se: Callable[[str], bool]) -> dict[str, list]:
    """The navigation: every page of ui/sidkarta.py, hidden when the user may not open it; default = first allowed."""
    tillatna = [Path(fil).stem for rader in SIDKARTA.values() for fil, _, _ in rader if far_se(Path(fil).stem)]
    standard = tillatna[0] if tillatna else "oversikt"
    return {
        avsnitt: [
            st.Page(fil, title=titel, icon=ikon, default=Path(fil).stem == standard, visibility="visible" if far_se(Path(fil).stem) else "hidden")
            for fil, titel, ikon in rader
        ]
        for avsnitt, rader in SIDKARTA.items()
    }


def _bara_navigation() -> None:
    """Register the pages, all hidden and none run: a deep link then lands on this login or refusal text, not in a page."""
    st.navigation(_sidor(lambda _: False), position="hidden")


def _utloggning() -> None:
    anv = st.session_state.get(ANVANDARE_NYCKEL)
    if anv is not None:
        logga("utloggning", anv)
    st.logout()


def _inloggningssida(meddelande: str | None = None) -> None:
    """Only the login: no data, no filters, no page."""
    _bara_navigation()
    st.title("Verksamhetsuppföljning", anchor=False)
    if meddelande:
        st.warning(meddelande)
    st.write("Logga in med ditt konto i staden för att se uppföljningen.")
    if st.button("Logga in", type="primary", icon=":material/login:", key="vu_logga_in"):
        st.login(_leverantor())
    _redogorelse()
    st.stop()


def _redogorelse() -> None:
    """The accessibility statement also before login: the law wants it reachable by anyone who meets the service."""
    from ui import tillganglighet

    with st.expander("Tillgänglighetsredogörelse"):
        st.markdown(tillganglighet.redogorelse())


def _saknar_behorighet(vem: str, kontakt: str) -> None:
    """A signed-in person whom no rule maps: the Swedish refusal and a way out, nothing else."""
    _bara_navigation()
    st.title("Du saknar behörighet", anchor=False)
    st.error(f"Du saknar behörighet – {markdown_text(kontakt)}")
    st.caption(f"Inloggad som {markdown_text(vem)}.")
    st.button("Logga ut", on_click=_utloggning, key="vu_logga_ut_nekad")
    st.stop()


def grind() -> Anvandare:
    """The signed-in user, or (with [auth] configured) the login or no-access page and st.stop(); local mode: LOKAL."""
    if not inloggning_pa():
        st.session_state[ANVANDARE_NYCKEL] = LOKAL
        st.sidebar.caption(":material/lock_open: Lokalt läge – ingen inloggning")
        return LOKAL
    st.session_state.pop(ANVANDARE_NYCKEL, None)
    if not st.user.get("is_logged_in", False):
        _inloggningssida()
    ansprak = st.user.to_dict()
    try:
        beh = behorighet.aktuella()
    except Behorighetsfilfel as fel:
        _bara_navigation()
        st.title("Behörigheterna kan inte läsas", anchor=False)
        st.error(f"{markdown_text(fel)} Ingen kan se uppgifterna förrän filen är rättad – kontakta IT.")
        st.stop()
    if beh.utgangen(ansprak):
        _inloggningssida(f"Din inloggning har gått ut (den gäller {beh.giltig_timmar:g} timmar). Logga in igen.")
    anv = beh.anvandare(ansprak)
    if not st.session_state.get(_INLOGGNING_LOGGAD):
        st.session_state[_INLOGGNING_LOGGAD] = True
        if anv is None:
            logga("inloggning", beh.identitet(ansprak), utfall="saknar behörighet")
        else:
            logga("inloggning", anv, utfall="ok", enheter=anv.omfang if anv.omfang is not None else "alla")
    if anv is None:
        _saknar_behorighet(beh.identitet(ansprak), beh.kontakt)
    st.session_state[ANVANDARE_NYCKEL] = anv
    return anv


def anvandare() -> Anvandare:
    """The user app.py let through this run (pages and helpers call this; local mode: LOKAL)."""
    return st.session_state.get(ANVANDARE_NYCKEL) or LOKAL


def navigation(anv: Anvandare, meny=None) -> tuple:
    """st.navigation with the user's pages; returns (the chosen page, its URL path = file name without .py).

    Streamlit's own sidebar menu puts its section blocks straight into a `<ul>` (axe: list/listitem), so the menu is
    hidden and drawn here as plain page links under section labels, in `meny` (a sidebar container) or the sidebar."""
    sidor = _sidor(anv.far_se)
    per_fil = {fil: p for avsnitt, rader in SIDKARTA.items() for p, (fil, _, _) in zip(sidor[avsnitt], rader)}
    vald = st.navigation(sidor, position="hidden")
    # this run's page objects by file: a link given a page object skips Streamlit's path resolution (realpath and a
    # scan of every page per link), which Översikt's tiles paid twenty times a view (docs/prestanda.md)
    st.session_state[SIDOBJEKT] = per_fil
    with meny if meny is not None else st.sidebar.container(key="vu_meny"):
        for avsnitt, rader in SIDKARTA.items():
            synliga = [p for p, (fil, _, _) in zip(sidor[avsnitt], rader) if anv.far_se(Path(fil).stem)]
            if not synliga:
                continue
            st.html(f'<p class="vu-menyavsnitt">{avsnitt}</p>')
            for p in synliga:
                st.page_link(p, label=p.title, icon=p.icon)
    stam = next((Path(fil).stem for fil, p in per_fil.items() if p is vald), None)
    return vald, stam if stam is not None else getattr(vald, "_url_path", "")


def krav_sida(anv: Anvandare, sida: str, titel: str) -> None:
    """Stop with a Swedish refusal when the user may not open the page (a hand-typed URL to a hidden page)."""
    if anv.far_se(sida):
        return
    logga("nekad", anv, sida=sida, orsak="sidan ingår inte i rollen")
    st.title(titel, anchor=False)
    st.error(f"Du har inte behörighet till sidan {markdown_text(titel)}. Din roll: {markdown_text(anv.rolltext)}.")
    st.stop()


def nekat_urval(anv: Anvandare, sida: str, fel: Exception, rensa: Callable[[], None]) -> None:
    """Stop with the data layer's Swedish reason (kpi.period.Behorighetsfel) instead of data; log it."""
    logga("nekad", anv, sida=sida, orsak=str(fel))
    st.title("Urvalet är inte tillåtet", anchor=False)
    st.error(markdown_text(fel))
    st.button("Visa mina enheter", on_click=rensa, type="primary", key="vu_visa_mina_enheter")
    st.stop()


def sidvy(anv: Anvandare, sida: str, urval) -> None:
    """Log a page view with its selection, once per change (reruns on the same page and selection add nothing)."""
    vy = (sida, urval.period.key, urval.filters.units)
    if st.session_state.get(_SENASTE_VY) == vy:
        return
    st.session_state[_SENASTE_VY] = vy
    logga("sida", anv, sida=sida, period=urval.period.key, enheter=urval.filters.units or "alla")


def anvandarruta(anv: Anvandare) -> None:
    """Who is signed in, with a log-out button, at the bottom of the sidebar (nothing in local mode)."""
    if anv.lokal:
        return
    st.sidebar.divider()
    st.sidebar.caption(f"Inloggad som **{markdown_text(anv.namn)}** · {markdown_text(anv.rolltext)}")
    st.sidebar.button("Logga ut", on_click=_utloggning, icon=":material/logout:", key="vu_logga_ut")


def loggad(bygg: Callable[[], bytes], handelse: str, **falt) -> Callable[[], bytes]:
    """A download's data callable that first logs who took which file (called on click, outside the script run)."""
    anv = anvandare()
    if anv.lokal:
        return bygg
    session = _session()
    sida = st.session_state.get(_SENASTE_VY, ("",))[0]

    def med_logg() -> bytes:
        behorighet.logga(handelse, anv, session=session, sida=sida, **falt)
        return bygg()

    return med_logg
