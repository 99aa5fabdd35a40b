"""Chart PNGs for slides and PDF pages: one kaleido (Chromium) session renders a whole batch."""
from __future__ import annotations

import hashlib
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


def for_bild(fig: go.Figure, textstorlek: int = PROJEKTOR_TEXT_PX) -> go.Figure:
    """A copy for a static image: the title lives in real text outside the picture, every label at least textstorlek px."""
    fig = go.Figure(fig)
    fig.update_layout(
        title=None,
        font_size=textstorlek,
        legend_font_size=textstorlek,
        hoverlabel_font_size=textstorlek,
        margin={"l": 20, "r": 30, "t": 70, "b": 20},
        height=None,
        width=None,
    )
    fig.update_xaxes(tickfont_size=textstorlek, title_font_size=textstorlek)
    fig.update_yaxes(tickfont_size=textstorlek, title_font_size=textstorlek)
    # Target-line labels and other annotations are small on screen; on a wall they must match the axes.
    fig.update_annotations(font_size=textstorlek)
    _mal_i_marginalen(fig)
    fig.update_traces(textfont_size=textstorlek, selector={"type": "bar"})
    # Plotly writes thousands separators only from 10 000; ',~f' gives '1 150' with the figure's Swedish separators.
    fig.update_yaxes(tickformat=",~f")
    _glesa_manadsetiketter(fig)
    return fig


def _mal_i_marginalen(fig: go.Figure) -> None:
    """Move target-line labels into the right margin, where they never hide a data point."""
    flyttade = False
    for a in fig.layout.annotations:
        if a.yref not in (None, "paper") and str(a.text or "").startswith(("Mål", "Årsmål")):
            a.update(xref="paper", x=1.0, xanchor="left", yanchor="middle", text=str(a.text).replace(" ", "<br>", 1))
            flyttade = True
    if flyttade:
        fig.update_layout(margin_r=170)


def _glesa_manadsetiketter(fig: go.Figure, max_antal: int = 10) -> None:
    """Keep month labels horizontal and readable at large type: every second or third month when there are many."""
    axel = fig.layout.xaxis
    if axel.tickvals is None or len(axel.tickvals) <= max_antal:
        return
    steg = -(-len(axel.tickvals) // max_antal)
    fig.update_xaxes(tickvals=list(axel.tickvals)[::steg], ticktext=list(axel.ticktext)[::steg], tickangle=0)


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


def _nyckel(fig: go.Figure, bredd: int, hojd: int) -> str:
    return hashlib.sha256(f"{bredd}x{hojd}:{fig.to_json()}".encode()).hexdigest()


def png_batch(figurer: list[go.Figure], bredd: int = BILD_BREDD, hojd: int | list[int] = BILD_HOJD) -> list[bytes]:
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
                {"fig": figurer[i].to_dict(), "path": str(sokvagar[i]), "opts": {"format": "png", "width": bredd, "height": hojder[i], "scale": 1}}
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
