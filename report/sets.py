"""Saved APT slide sets: a name and an ordered list of slide ids, stored as JSON so next month reopens the same set."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

DEFAULT_SET_KATALOG = "data/apt_set"
MAX_NAMNLANGD = 80


@dataclass(frozen=True)
class Bildspel:
    """A meeting's slide set: display name and slide ids in presentation order (period and unit come from the filters)."""

    namn: str
    bilder: tuple[str, ...]


def set_katalog(override: str | os.PathLike | None = None) -> Path:
    """Folder of saved sets: argument, else $VU_APT_SET, else data/apt_set."""
    return Path(override or os.environ.get("VU_APT_SET") or DEFAULT_SET_KATALOG)


def filnamn(namn: str) -> str:
    """'APT Enhet 2' → 'apt-enhet-2.json' (ASCII, so the file name survives any file system)."""
    ascii_namn = unicodedata.normalize("NFKD", namn).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_namn.lower()).strip("-")
    if not slug:
        raise ValueError(f"Namnet '{namn}' går inte att använda: skriv minst en bokstav eller siffra.")
    return f"{slug}.json"


def spara(bildspel: Bildspel, katalog: str | os.PathLike | None = None) -> Path:
    """Write the set atomically (temporary file, then rename); a set with the same name is replaced."""
    namn = bildspel.namn.strip()
    if not namn:
        raise ValueError("Ge bildspelet ett namn, t.ex. 'APT Enhet 2'.")
    if len(namn) > MAX_NAMNLANGD:
        raise ValueError(f"Namnet är för långt ({len(namn)} tecken, högst {MAX_NAMNLANGD}).")
    if not bildspel.bilder:
        raise ValueError("Välj minst ett diagram till bildspelet.")
    mapp = set_katalog(katalog)
    mapp.mkdir(parents=True, exist_ok=True)
    mal = mapp / filnamn(namn)
    innehall = {"namn": namn, "bilder": list(bildspel.bilder), "sparad": datetime.now().isoformat(timespec="seconds")}
    tmp = mal.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(innehall, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, mal)
    return mal


def _las(fil: Path) -> Bildspel:
    try:
        data = json.loads(fil.read_text(encoding="utf-8"))
        return Bildspel(namn=str(data["namn"]), bilder=tuple(str(b) for b in data["bilder"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"Bildspelet i {fil} går inte att läsa: {exc}") from exc


def lista(katalog: str | os.PathLike | None = None) -> list[Bildspel]:
    """Every saved set, sorted by name; unreadable files are skipped (they are reported by `hamta`)."""
    mapp = set_katalog(katalog)
    if not mapp.is_dir():
        return []
    spel = []
    for fil in sorted(mapp.glob("*.json")):
        try:
            spel.append(_las(fil))
        except ValueError:
            continue
    return sorted(spel, key=lambda s: s.namn.lower())


def hamta(namn: str, katalog: str | os.PathLike | None = None) -> Bildspel:
    """The saved set with this name (case-insensitive); a Swedish error listing the saved names otherwise."""
    fil = set_katalog(katalog) / filnamn(namn)
    if fil.exists():
        return _las(fil)
    for spel in lista(katalog):
        if spel.namn.lower() == namn.strip().lower():
            return spel
    namn_lista = ", ".join(f"'{s.namn}'" for s in lista(katalog)) or "inga"
    raise ValueError(f"Inget sparat bildspel heter '{namn}'. Sparade: {namn_lista}.")


def ta_bort(namn: str, katalog: str | os.PathLike | None = None) -> None:
    """Delete a saved set."""
    fil = set_katalog(katalog) / filnamn(namn)
    if not fil.exists():
        raise ValueError(f"Inget sparat bildspel heter '{namn}'.")
    fil.unlink()
