"""What WCAG 2.1 AA needs beyond Streamlit's own markup: page titles, the page language, Swedish framework labels, clicker keys.

Streamlit 1.67 has no setting for `<html lang>` nor for its own English labels ("Skip to main content", "Fullscreen"),
so a small script (ui/tillganglighet.js) sets them in the browser; it also makes the app's page menu a navigation
landmark that names the current page, and turns a presentation clicker's PageDown/PageUp into APT-läge's visible
Nästa/Föregående buttons (no hidden buttons, no invisible tab stops)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

TJANST = "Verksamhetsuppföljning"
_SKRIPT = (Path(__file__).with_name("tillganglighet.js")).read_text(encoding="utf-8")
REDOGORELSE = Path(__file__).resolve().parent.parent / "docs" / "tillganglighetsredogorelse.md"


def sidtitel(titel: str | None) -> str:
    """The browser tab's title: the page first, then the service ('Telefoni – Verksamhetsuppföljning')."""
    return f"{titel} – {TJANST}" if titel and titel != TJANST else TJANST


def forbattra() -> None:
    """Load ui/tillganglighet.js once per browser tab (an invisible element; the script guards against running twice)."""
    with st.container(key="vu_tillganglighet"):
        st.html(f"<script>{_SKRIPT}</script>", unsafe_allow_javascript=True)


def redogorelse() -> str:
    """The accessibility statement's text without its first heading (the page and the login page write their own)."""
    rader = REDOGORELSE.read_text(encoding="utf-8").splitlines()
    if rader and rader[0].startswith("# "):
        rader = rader[1:]
    return "\n".join(rader).strip()
