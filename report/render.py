"""Chart PNGs for slides and PDF pages: one kaleido (Chromium) session renders a whole batch."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path

import plotly.graph_objects as go

# Projector sizes from the issue: titles ≥ 40 px, axis labels and numbers ≥ 22 px.
PROJEKTOR_TEXT_PX = 22
PROJEKTOR_RUBRIK_PX = 40

# One pixel size for slides and A4 pages, so a chart rendered for the PDF is reused by the .pptx (and vice versa).
BILD_BREDD, BILD_HOJD = 1760, 860
PDF_BREDD, PDF_HOJD = BILD_BREDD, BILD_HOJD
_CACHE_MAX = 256
_cache: OrderedDict[str, bytes] = OrderedDict()
_las = threading.Lock()

senaste_renderingstid_s: float = 0.0


def _sakerstall_webblasare() -> None:
    """Kaleido needs a Chromium; Debian's is the one the repo's own scripts install."""
    if not os.environ.get("BROWSER_PATH") and Path("/usr/bin/chromium").exists():
        os.environ["BROWSER_PATH"] = "/usr/bin/chromium"


def bild_dict(fig: go.Figure, textstorlek: int = PROJEKTOR_TEXT_PX) -> dict:
    """The figure as a plain dict for a static image: no title (it is real text outside), every label ≥ textstorlek px."""
    # Edited as JSON rather than through Plotly's validating setters: ten times faster for a whole report.
    d = json.loads(fig.to_json())
    lay = d.setdefault("layout", {})
    lay.pop("title", None)
    lay.pop("height", None)
    lay.pop("width", None)
    lay["margin"] = {"l": 20, "r": 30, "t": 70, "b": 20}
    _storlek(lay, "font", textstorlek)
    for nyckel in ("legend", "hoverlabel"):
        _storlek(lay.setdefault(nyckel, {}), "font", textstorlek)
    if any(t.get("type", "scatter") in ("scatter", "bar") for t in d.get("data", [])):
        lay.setdefault("xaxis", {})
        lay.setdefault("yaxis", {})
    for axel, varden in lay.items():
        if axel.startswith(("xaxis", "yaxis")) and isinstance(varden, dict):
            _storlek(varden, "tickfont", textstorlek)
            _storlek(varden.setdefault("title", {}), "font", textstorlek)
            if axel.startswith("yaxis"):
                # Plotly writes thousands separators only from 10 000; ',~f' gives '1 150' with the Swedish separators.
                varden["tickformat"] = ",~f"
    # Target-line labels and other annotations are small on screen; on a wall they must match the axes.
    for a in lay.get("annotations", []):
        _storlek(a, "font", textstorlek)
        if a.get("yref") not in (None, "paper") and str(a.get("text", "")).startswith(("Mål", "Årsmål")):
            # In the right margin the target label never hides a data point.
            a.update(xref="paper", x=1.0, xanchor="left", yanchor="middle", text=str(a["text"]).replace(" ", "<br>", 1))
            lay["margin"]["r"] = 170
    for trace in d.get("data", []):
        if trace.get("type") == "bar":
            _storlek(trace, "textfont", textstorlek)
    _glesa_manadsetiketter(lay.get("xaxis", {}))
    return d


def for_bild(fig: go.Figure, textstorlek: int = PROJEKTOR_TEXT_PX) -> go.Figure:
    """bild_dict as a Figure, for showing on the APT page."""
    return go.Figure(bild_dict(fig, textstorlek))


def _storlek(foralder: dict, nyckel: str, storlek: int) -> None:
    foralder[nyckel] = {**(foralder.get(nyckel) or {}), "size": storlek}


def _glesa_manadsetiketter(axel: dict, max_antal: int = 10) -> None:
    """Keep month labels horizontal and readable at large type: every second or third month when there are many."""
    tickvals, ticktext = axel.get("tickvals"), axel.get("ticktext")
    if not tickvals or not ticktext or len(tickvals) <= max_antal:
        return
    steg = -(-len(tickvals) // max_antal)
    axel.update(tickvals=tickvals[::steg], ticktext=ticktext[::steg], tickangle=0)


def hojd_for(fig: go.Figure, standard: int) -> int:
    """Image height: the standard, or more when the figure asks for it (a long table)."""
    return max(standard, int(fig.layout.height or 0))


def forvarm() -> None:
    """Start Chromium in the background (CLI only) so it boots while the KPI layer builds the pages.

    Kaleido's shared server serves one caller at a time, so the app, with concurrent sessions, uses one-shot sessions.
    """
    _sakerstall_webblasare()
    import kaleido

    kaleido.start_sync_server(n=1, silence_warnings=True)


def stang() -> None:
    """Stop the background Chromium started by forvarm()."""
    import kaleido

    kaleido.stop_sync_server(silence_warnings=True)


def _nyckel(fig: dict, bredd: int, hojd: int) -> str:
    return hashlib.sha256(f"{bredd}x{hojd}:{json.dumps(fig, sort_keys=True)}".encode()).hexdigest()


def png_batch(figurer: list[dict], bredd: int = BILD_BREDD, hojd: int | list[int] = BILD_HOJD) -> list[bytes]:
    """Render figures to PNG bytes in one Chromium session (starting Chromium is most of the cost); repeats come from memory."""
    global senaste_renderingstid_s
    start = time.perf_counter()
    hojder = hojd if isinstance(hojd, list) else [hojd] * len(figurer)
    nycklar = [_nyckel(f, bredd, h) for f, h in zip(figurer, hojder)]
    with _las:
        saknas = list(dict.fromkeys(i for i, k in enumerate(nycklar) if k not in _cache))
    if saknas:
        _sakerstall_webblasare()
        import kaleido  # imported late: only exports need it, the pages do not

        with tempfile.TemporaryDirectory(prefix="vu_bilder_") as katalog:
            sokvagar = {i: Path(katalog, f"bild_{i:03d}.png") for i in saknas}
            # One tab (n=1) measured fastest on a 2-core machine: more tabs compete for the same cores.
            jobb = [
                {"fig": figurer[i], "path": str(sokvagar[i]), "opts": {"format": "png", "width": bredd, "height": hojder[i], "scale": 1}}
                for i in saknas
            ]
            if kaleido._global_server.is_running():  # started by forvarm(): Chromium is already up
                kaleido.write_fig_from_object_sync(jobb)
            else:
                kaleido.write_fig_from_object_sync(jobb, kopts={"n": 1})
            with _las:
                for i in saknas:
                    _cache[nycklar[i]] = sokvagar[i].read_bytes()
                while len(_cache) > _CACHE_MAX:
                    _cache.popitem(last=False)
    with _las:
        bilder = [_cache[k] for k in nycklar]
    senaste_renderingstid_s = time.perf_counter() - start
    return bilder
