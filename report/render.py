"""Chart PNGs for slides and PDF pages: one kaleido (Chromium) session renders a whole batch."""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import plotly.graph_objects as go

# Projector sizes from the issue: titles ≥ 40 px, axis labels and numbers ≥ 22 px.
PROJEKTOR_TEXT_PX = 22
PROJEKTOR_RUBRIK_PX = 40

# Pixel sizes of the rendered images; the pptx/PDF place them at a fixed physical size.
BILD_BREDD, BILD_HOJD = 1760, 736  # 16:9 slide, chart area under the title
PDF_BREDD, PDF_HOJD = 1400, 820  # A4 page width

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
    fig.update_traces(textfont_size=textstorlek, selector={"type": "bar"})
    return fig


def png_batch(figurer: list[go.Figure], bredd: int = BILD_BREDD, hojd: int = BILD_HOJD) -> list[bytes]:
    """Render figures to PNG bytes in one Chromium session (starting Chromium is most of the cost)."""
    global senaste_renderingstid_s
    if not figurer:
        return []
    _sakerstall_webblasare()
    import kaleido  # imported late: only exports need it, the pages do not

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="vu_bilder_") as katalog:
        sokvagar = [Path(katalog, f"bild_{i:03d}.png") for i in range(len(figurer))]
        # One tab (n=1) measured fastest on a 2-core machine: more tabs compete for the same cores.
        kaleido.write_fig_from_object_sync(
            [
                {"fig": fig.to_dict(), "path": str(p), "opts": {"format": "png", "width": bredd, "height": hojd, "scale": 1}}
                for fig, p in zip(figurer, sokvagar)
            ],
            kopts={"n": 1},
        )
        bilder = [p.read_bytes() for p in sokvagar]
    senaste_renderingstid_s = time.perf_counter() - start
    return bilder
