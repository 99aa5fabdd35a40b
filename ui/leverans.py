"""Delivering exports in the app: upload, source, preview, load through `etl.leverera`, the outcome; the completeness grid.

Nothing here reads or validates a file itself: the source is recognised by `etl.leverans.kanna_igen_kalla`, the preview
is `etl.leverans.forhandsvisning` (the ETL's reader and parsers), the load is `etl.leverera` (the ETL's run), and the
overview is `kpi.fullstandighet`. Names from the data and file names are shown as text, redacted.
"""

from __future__ import annotations

import html
import logging
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
import streamlit as st

import etl
import lake
from etl import leverans
from etl.kallor import KALLOR
from kpi import fullstandighet
from kpi.format import STATUS_FARG, manad, tal
from kpi.tabell import Kolumn
from sakerhet import markdown_text, maskera
from ui import inloggning, kapacitet
from ui.inlasning import DATAKVALITET, karantan_mapp, parquet_mapp, raw_mapp

_LOGG = logging.getLogger("vu.leverans")
MOTTAGNA = "_vu_leverans_mottagna"  # file_id → Mottagen: uploads written to data/raw/.inkommande/, not yet delivered
UTFALL = "_vu_leverans_utfall"  # the last delivery's outcome per file, shown after the rerun that clears the uploader
UPPLADDARE = "_vu_leverans_nyckel"  # a new key empties the uploader once its files are delivered
NAMNFALT = "vu_levererande"
LOKAL_LEVERANTOR = "lokal användare"
LEVERERA_DATA = "pages/leverera_data.py"


_FORVARMD = threading.Event()


def forvarm_validering() -> None:
    """Import great-expectations in the background once per server process, once files are chosen (while the user checks them).

    A file the fast pre-check cannot pass goes to GX; its first import costs ~7 s, which would otherwise fall on the
    first rejected upload after a restart (docs/benchmarks.md, "Leverera data").
    """
    if _FORVARMD.is_set():
        return
    _FORVARMD.set()
    from etl.validera import importera_gx

    threading.Thread(target=importera_gx, name="vu-gx-import", daemon=True).start()


def kallnamn(kalla: str) -> str:
    """A source's Swedish name, as the overview calls it."""
    rytm = fullstandighet.LEVERANSRYTM.get(kalla)
    return rytm.namn if rytm else kalla


def levererande(anv) -> str:
    """Who delivers: the signed-in user, or in local mode the name typed once in this session (else 'lokal användare')."""
    if not anv.lokal:
        return anv.namn if not anv.id or anv.id == anv.namn else f"{anv.namn} ({anv.id})"
    namn = st.text_input(
        "Ditt namn",
        key=NAMNFALT,
        placeholder=LOKAL_LEVERANTOR,
        max_chars=80,
        help="Skrivs i körloggen som den som levererade filen. Lokalt läge har ingen inloggning; lämnar du fältet tomt står det "
        f"”{LOKAL_LEVERANTOR}”.",
    )
    return " ".join((namn or "").split()) or LOKAL_LEVERANTOR


# --- Upload ----------------------------------------------------------------------------------------------------


@dataclass
class Mottagen:
    """One uploaded file: written to its upload folder, its source recognised (or the reason it is refused)."""

    namn: str  # as delivered (for display: redacted, escaped)
    storlek: int
    sokvag: Path | None = None
    gissning: leverans.Kallgissning | None = None
    fel: str | None = None  # refused before anything is read: wrong type, too large, empty
    forhandsvisningar: dict[str, leverans.Forhandsvisning] = field(default_factory=dict)


def storlek_text(n: int) -> str:
    """A file size as people read it: '179,3 kB', '12,4 MB'."""
    return f"{tal(n / 1024 / 1024, 1)} MB" if n >= 1024 * 1024 else f"{tal(max(n / 1024, 0.1), 1)} kB"


def motta(fil) -> Mottagen:
    """Check type and size (the product's own limits), write the upload to data/raw/.inkommande/ and recognise its source."""
    m = Mottagen(fil.name, fil.size)
    m.fel = leverans.filtypsfel(fil.name) or leverans.storleksfel(fil.size)
    if m.fel:
        return m
    try:
        m.sokvag = leverans.ta_emot(raw_mapp(), fil.name, fil.getvalue())
    except OSError:
        _LOGG.exception("Uppladdningen kunde inte sparas")
        m.fel = "Filen kunde inte tas emot (servern kunde inte spara den). Försök igen eller kontakta IT."
        return m
    m.gissning = leverans.kanna_igen_kalla(m.sokvag)
    return m


def mottagna(filer: list) -> list[Mottagen]:
    """The uploader's files, each received once; files removed from the uploader are removed from disk too."""
    lager: dict[str, Mottagen] = st.session_state.setdefault(MOTTAGNA, {})
    aktuella = {f.file_id: f for f in filer or []}
    for fid in [fid for fid in lager if fid not in aktuella]:
        if lager[fid].sokvag is not None:
            leverans.slang(lager[fid].sokvag)
        del lager[fid]
    for fid, f in aktuella.items():
        if fid not in lager:
            lager[fid] = motta(f)
    return [lager[fid] for fid in aktuella]


def uppladdarens_nyckel() -> str:
    """The uploader's key: a new one after a delivery, so the delivered files leave the widget."""
    return f"vu_leverans_filer_{st.session_state.get(UPPLADDARE, 0)}"


def _tom_uppladdare() -> None:
    st.session_state[UPPLADDARE] = st.session_state.get(UPPLADDARE, 0) + 1
    st.session_state[MOTTAGNA] = {}


# --- Preview ---------------------------------------------------------------------------------------------------


def _forstatt(varde, typ: str) -> str:
    """A parsed value as Swedish text: what the product understood the cell to be."""
    if varde is None:
        return ""
    if typ == "manad":
        return manad(varde)
    if typ == "tid":
        timmar, rest = divmod(int(round(varde)), 3600)
        return f"{timmar}:{rest // 60:02d}:{rest % 60:02d} ({tal(varde, 0)} s)"
    if typ in ("heltal", "tal"):
        return tal(varde, 0 if float(varde).is_integer() else 2)
    if typ == "ar":
        return str(varde)
    if typ == "tidpunkt":
        return f"{varde:%Y-%m-%d %H:%M:%S}"
    if typ == "datum":
        return f"{varde:%Y-%m-%d}"
    return str(varde)


def forhandsvisning_ram(fv: leverans.Forhandsvisning) -> pl.DataFrame:
    """The preview as a table of text: row number, then per column the value understood — '⚠' and the text when it could not be."""
    serier = [pl.Series("Rad", [str(r) for r in fv.rader["_rad"].to_list()])]
    for namn, rubrik, typ in fv.kolumner:
        texter = fv.rader[f"{namn}__text"].to_list()
        varden = fv.rader[namn].to_list() if namn in fv.rader.columns else [None] * len(texter)
        celler = []
        for text, varde in zip(texter, varden):
            if varde is None and text is not None and str(text).strip():
                celler.append(f"⚠ ej tolkbart: {text}")
            else:
                celler.append(_forstatt(varde, typ) if not isinstance(varde, str) else varde)
        serier.append(pl.Series(f"{rubrik}", celler, dtype=pl.String))
    return pl.DataFrame(serier)


def visa_forhandsvisning(m: Mottagen, kalla: str) -> None:
    """The first rows as the product parses them, for the chosen source (read once per source)."""
    if kalla not in m.forhandsvisningar:
        m.forhandsvisningar[kalla] = leverans.forhandsvisning(m.sokvag, kalla)
    fv = m.forhandsvisningar[kalla]
    if fv.fel:
        st.warning(f"Filen kan inte förhandsgranskas: {markdown_text(fv.fel)}")
        return
    delar = [f"{tal(fv.datarader)} datarader" if fv.datarader is not None else "stor fil: bara dess början är läst"]
    if fv.kodning:
        delar.append(f"teckenkodning {fv.kodning}")
    if fv.avgransare:
        delar.append(f"avgränsare {fv.avgransare}")
    st.caption(
        f"De första {fv.rader.height} raderna så som inläsningen tolkar dem som **{markdown_text(kallnamn(kalla))}** "
        f"({', '.join(delar)}). Ingenting är sparat ännu."
    )
    st.dataframe(forhandsvisning_ram(fv), hide_index=True)
    if fv.okanda_kolumner:
        st.caption("Kolumner som inte känns igen och hoppas över: " + markdown_text(", ".join(fv.okanda_kolumner)))
    for a in fv.anmarkningar:
        st.caption(f"Obs: {markdown_text(a)}")


# --- Delivery --------------------------------------------------------------------------------------------------


@dataclass
class Utfall:
    """What the page shows about one delivered file after the run."""

    namn: str
    kalla: str
    typ: str  # 'inläst' | 'oförändrad' | 'avvisad' | 'fel'
    rubrik: str
    detaljer: list[str] = field(default_factory=list)
    rapport: str | None = None  # the quarantine report's text (already redacted by the ETL)
    sekunder: float = 0.0


def _perioder(perioder: list[str]) -> str:
    namn = [manad(date.fromisoformat(p + "-01")) if len(p) == 7 else p for p in perioder]
    if len(namn) > 4:
        return f"{namn[0]} – {namn[-1]} ({len(namn)} perioder)"
    return ", ".join(namn)


def _utfall(m: Mottagen, kalla: str, lev: etl.Leveransresultat, sekunder: float, vantade: bool) -> Utfall:
    f = lev.fil
    namn = maskera(m.namn)
    detaljer = []
    if vantade:
        detaljer.append(f"Väntade {tal(lev.vantade_s, 1)} s på en annan inläsning.")
    if f.utfall == "inläst":
        rubrik = f"{namn}: {tal(f.rader or 0)} rader inlästa som {kallnamn(kalla)}" + (f" – ersatte {_perioder(f.perioder)}." if f.perioder else ".")
        detaljer.append(f"Sparad som {lev.sparad_som} i källmappen.")
        if f.meddelande:
            detaljer.append(f"Obs: {f.meddelande}")
        return Utfall(namn, kalla, "inläst", rubrik, detaljer, sekunder=sekunder)
    if f.utfall == "oförändrad":
        return Utfall(namn, kalla, "oförändrad", f"{namn}: {f.meddelande}", detaljer, sekunder=sekunder)
    rubrik = f"{namn} avvisades – ingenting lästes in och inget data ändrades."
    detaljer.append(f"Orsak: {f.meddelande}")
    if f.perioder:
        detaljer.append(f"Filen gällde {_perioder(f.perioder)}; data som redan fanns för dem gäller som förut.")
    rapport = None
    if lev.karantan is not None:
        detaljer.append(f"Filen och rapporten ligger i karantänen: {lev.karantan.parent.name}/{maskera(lev.karantan.name)}.")
        try:
            rapport = Path(f.rapport).read_text(encoding="utf-8") if f.rapport else None
        except OSError:
            rapport = None
    return Utfall(namn, kalla, "avvisad", rubrik, detaljer, rapport, sekunder)


def leverera(filer: list[tuple[Mottagen, str]], vem: str) -> None:
    """Load each file through etl.leverera, one run per file, in the order given; outcomes are kept for the next rerun."""
    import time

    anv = inloggning.anvandare()
    utfall: list[Utfall] = []
    for m, kalla in filer:
        # logged before the run (a log that cannot be written stops the page before anything changes); the outcome is in
        # the run log, with who delivered
        inloggning.logga("leverans", anv, fil=maskera(m.namn), kalla=kalla)
        with st.status(f"Läser in {markdown_text(maskera(m.namn))} …", expanded=True) as status:
            ruta = st.empty()

            vantade: list[bool] = []

            def vantar(ruta=ruta, vantade=vantade) -> None:
                vantade.append(True)
                ruta.info("Väntar på annan inläsning … En annan leverans eller inläsning till samma data pågår; din fil läses in direkt efter.")

            start = time.perf_counter()
            try:
                with kapacitet.utan_tur():  # seconds of ETL: other users' pages go on meanwhile
                    lev = etl.leverera(m.sokvag, kalla, raw_mapp(), parquet_mapp(), karantan_mapp(), levererad_av=vem, vantar=vantar)
                u = _utfall(m, kalla, lev, time.perf_counter() - start, bool(vantade))
            except (etl.KorningsFel, etl.EtlFel) as fel:
                u = Utfall(maskera(m.namn), kalla, "fel", f"{maskera(m.namn)}: {maskera(str(fel))}")
            except Exception:  # the last guard: never a traceback on the page
                _LOGG.exception("Leveransen av en fil misslyckades")
                u = Utfall(
                    maskera(m.namn),
                    kalla,
                    "fel",
                    f"{maskera(m.namn)}: inläsningen kunde inte slutföras på grund av ett oväntat fel. Ingenting ändrades.",
                )
            ruta.empty()
            status.update(label=markdown_text(u.rubrik), state="complete" if u.typ in ("inläst", "oförändrad") else "error", expanded=False)
        utfall.append(u)
    st.session_state[UTFALL] = utfall
    _tom_uppladdare()
    st.rerun()


def visa_utfall() -> None:
    """The last delivery's outcome per file: rows and months, or the report with the rule broken and the rows."""
    utfall: list[Utfall] = st.session_state.get(UTFALL) or []
    if not utfall:
        return
    st.subheader("Resultat av leveransen")
    for u in utfall:
        text = markdown_text(u.rubrik)
        if u.typ == "inläst":
            st.success(text, icon=":material/check_circle:")
        elif u.typ == "oförändrad":
            st.info(text, icon=":material/info:")
        else:
            st.error(text, icon=":material/error:")
        for d in u.detaljer:
            st.caption(markdown_text(d))
        if u.rapport:
            with st.expander("Valideringsrapport (rader och regler som bröts)", expanded=True):
                st.code(u.rapport, language=None, wrap_lines=True)
        if u.typ in ("avvisad", "fel") and inloggning.anvandare().far_se("datakvalitet"):
            st.page_link(DATAKVALITET, label="Se detaljerna på Datakvalitet", icon=":material/fact_check:")
    if st.button("Dölj resultatet", key="vu_leverans_dolj"):
        st.session_state.pop(UTFALL, None)
        st.rerun()


# --- The completeness grid -------------------------------------------------------------------------------------


def _cell(status: str) -> str:
    return f"vu-fs-{status}"


def _stilar() -> str:
    """Cell colours from the catalogue's colour-blind-safe status colours: a light tint and a bar; the text stays dark."""
    regler = []
    for status, nyckel in fullstandighet.STATUS_FARGNYCKEL.items():
        if nyckel is None:
            regler.append(f".vu-fs-{status} {{ background:#FFFFFF; }}")
        else:
            farg = STATUS_FARG[nyckel]
            regler.append(f".vu-fs-{status} {{ background:{farg}26; box-shadow: inset 0 -4px 0 {farg}; }}")
    return "\n".join(regler)


def _symbol(status: str) -> str:
    return f"<span aria-hidden='true' class='vu-fs-sym'>{html.escape(fullstandighet.STATUS[status][0])}</span>"


def rutnat_html(grid: pl.DataFrame) -> str:
    """Source × month as an HTML table: header cells with scope, each status as symbol and word (a yearly delivery spans its months)."""
    manader = grid["manad"].unique().sort().to_list()
    huvud = "".join(f"<th scope='col'><abbr title='{manad(m)}'>{manad(m, kort=True).replace(' ', '<br>')}</abbr></th>" for m in manader)
    rader = []
    for kalla in dict.fromkeys(grid["kalla"].to_list()):
        celler = grid.filter(pl.col("kalla") == kalla).sort("manad").to_dicts()
        namn = html.escape(celler[0]["namn"])
        td = []
        i = 0
        while i < len(celler):
            c = celler[i]
            spann = 1
            if len(c["period"]) == 4:  # a yearly delivery: one cell over its months in view
                while i + spann < len(celler) and celler[i + spann]["period"] == c["period"]:
                    spann += 1
            ar = f"{html.escape(c['period'])}: " if len(c["period"]) == 4 else ""
            td.append(
                f"<td colspan='{spann}' class='{_cell(c['status'])}' title='{html.escape(c['detalj'], quote=True)}'>"
                f"{_symbol(c['status'])} {ar}{html.escape(c['text'])}</td>"
            )
            i += spann
        rader.append(f"<tr><th scope='row'>{namn}</th>{''.join(td)}</tr>")
    forsta, sista = manader[0], manader[-1]
    return (
        "<div class='vu-fs' role='region' aria-label='Leveranser per källa och månad' tabindex='0'>"
        f"<table class='vu-fs'><caption>Leveranser per källa och månad, {manad(forsta, kort=True)}–{manad(sista, kort=True)}</caption>"
        f"<colgroup><col class='vu-fs-kalla'>{'<col>' * len(manader)}</colgroup>"
        f"<thead><tr><th scope='col'>Källa</th>{huvud}</tr></thead><tbody>{''.join(rader)}</tbody></table></div>"
    )


def forklaring_html() -> str:
    """The legend: every status as the grid shows it (symbol, word, colour)."""
    delar = "".join(f"<li class='{_cell(s)}'>{_symbol(s)} {html.escape(ord_)}</li>" for s, (_, ord_) in fullstandighet.STATUS.items())
    return f"<ul class='vu-fs-forklaring' aria-label='Förklaring'>{delar}</ul>"


_STIL = (
    """<style>
div.vu-fs { overflow-x: auto; max-width: 100%; }
table.vu-fs { border-collapse: separate; border-spacing: 2px; width: 100%; table-layout: fixed; font-size: 0.74rem; line-height: 1.2; }
table.vu-fs col.vu-fs-kalla { width: 8.6rem; }
table.vu-fs caption { caption-side: top; text-align: left; font-weight: 600; font-size: 0.95rem; padding-bottom: 4px; color: #1A1A1A; }
table.vu-fs th { font-weight: 600; text-align: left; padding: 2px 3px; color: #1A1A1A; }
table.vu-fs thead th { text-align: center; }
table.vu-fs thead abbr { text-decoration: none; }
table.vu-fs tbody th { font-size: 0.78rem; }
table.vu-fs td { text-align: center; padding: 3px 1px 6px 1px; color: #1A1A1A; border: 1px solid #D0D4DA; border-radius: 4px; overflow-wrap: anywhere; }
.vu-fs-sym { font-weight: 700; }
ul.vu-fs-forklaring { list-style: none; padding: 0; margin: 0.4rem 0 0.2rem 0; display: flex; flex-wrap: wrap; gap: 6px; font-size: 0.8rem; }
ul.vu-fs-forklaring li { padding: 2px 8px 5px 8px; border: 1px solid #D0D4DA; border-radius: 4px; color: #1A1A1A; margin: 0; }
"""
    + "{regler}</style>"
)


def visa_fullstandighet(d: dict, nyckel: str) -> None:
    """The grid, its legend and rhythm, and the cells to act on (from kpi.queries.leverera_data)."""
    from ui import sida

    grid = d["fullstandighet"]
    _rutnat(innehall=sida.innehallsnyckel(grid), _grid=grid)
    st.caption(
        "En leverans räknas som saknad först när den är försenad: varje källa har en leveransrytm och ett senaste datum (se "
        "*Leveransrytm per källa* nedan). För Agresso räknas en månad som inläst när dess utfall är bokfört. Håll muspekaren över "
        "en ruta för detaljer; det som behöver åtgärdas står också i listan nedan."
    )
    sida.nedladdning(
        grid,
        "Leveranser per källa och månad",
        nyckel=f"{nyckel}_grid",
        kolumner=[Kolumn("namn", "Källa"), Kolumn("manad", "Månad"), Kolumn("text", "Status"), Kolumn("detalj", "Detalj")],
    )
    att_gora = d["att_atgarda"]
    if att_gora.is_empty():
        st.success("Inget saknas och inget är avvisat bland leveranserna som har förfallit.", icon=":material/task_alt:")
    else:
        sida.tabell(
            att_gora,
            "Att åtgärda",
            [Kolumn("namn", "Källa"), Kolumn("manad", "Månad"), Kolumn("text", "Status"), Kolumn("detalj", "Vad")],
            nyckel=f"{nyckel}_atgarda",
        )
    with st.expander("Leveransrytm per källa"):
        sida.tabell(d["rytmer"], "Leveransrytm", [Kolumn("namn", "Källa"), Kolumn("leverans", "Leverans")], nyckel=f"{nyckel}_rytm", visa_titel=False)


@st.cache_resource(max_entries=20, show_spinner=False)
def _rutnat(*, innehall: tuple, _grid: pl.DataFrame) -> None:
    """The grid with its styles and legend, drawn once per server for the same content and replayed for every later view."""
    st.markdown(_STIL.replace("{regler}", _stilar()) + rutnat_html(_grid) + forklaring_html(), unsafe_allow_html=True)


def _vantande_signatur(karantan: Path) -> tuple:
    """Name, size and mtime of every waiting run-log record: changes the moment a delivery is rejected or committed."""
    from etl.korlogg import MAPP

    mapp = karantan / MAPP
    if not mapp.is_dir():
        return ()
    return tuple(sorted((f.name, s.st_size, s.st_mtime_ns) for f in mapp.glob("*.json") for s in [f.stat()]))


@st.cache_data(max_entries=20, show_spinner=False)
def _fullstandighet(*, root: str, version: str, karantan: str, vantande: tuple, idag: date, _urval) -> dict:
    from kpi.queries import leverera_data

    return leverera_data(lake.anslutning(root, version), _urval.period, _urval.filters, karantan=karantan)


def fullstandighetsdata(urval) -> dict:
    """The completeness overview for the current lake and the waiting rejected deliveries.

    Cached per server on everything it reads: the lake's version, the waiting rejections (so one shows at once) and
    the day (what is overdue); the grid is per source and month, the same for every user."""
    root, karantan = lake.parquet_root(), karantan_mapp()
    return _fullstandighet(
        root=root,
        version=lake.dataversion(root),
        karantan=str(karantan),
        vantande=_vantande_signatur(karantan),
        idag=fullstandighet.idag(),
        _urval=urval,
    )


def kallval() -> list[str]:
    """The sources a file may be delivered to, in the overview's order."""
    return [k for k in fullstandighet.LEVERANSRYTM if k in KALLOR] + [k for k in KALLOR if k not in fullstandighet.LEVERANSRYTM]
