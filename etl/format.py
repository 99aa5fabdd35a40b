"""What a raw file really is, judged from its bytes (not its name): text, an Excel workbook, or something unreadable."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

TEXT, XLSX = "text", "xlsx"
_TITT = 1 << 16  # bytes looked at
# Control characters text never holds (tab, LF, VT, FF, CR and the DOS end-of-file mark 0x1A aside).
_STYRTECKEN = bytes([*range(1, 9), *range(14, 26), *range(27, 32)])


@dataclass(frozen=True)
class Format:
    """The format found: 'text' or 'xlsx' can be read; anything else carries the Swedish reason it cannot."""

    typ: str
    orsak: str | None = None  # why the file cannot be read, in the words a user acts on


def _zip(sokvag: Path) -> Format:
    try:
        with zipfile.ZipFile(sokvag) as z:
            namn = set(z.namelist())
            mimetyp = z.read("mimetype").decode("ascii", "replace") if "mimetype" in namn else ""
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError):
        return Format("trasig", "Filen är en Excel-arbetsbok eller ett zip-arkiv som är skadat eller avkortat – spara eller exportera den på nytt.")
    if "xl/workbook.xml" in namn or "xl/workbook.bin" in namn:
        return Format(XLSX)
    if "opendocument.spreadsheet" in mimetyp:
        return Format("ods", "Filen är ett OpenDocument-kalkylblad (.ods) – spara den som .xlsx eller CSV.")
    if "word/document.xml" in namn:
        return Format("docx", "Filen är ett Word-dokument, inte en dataexport – exportera data som CSV eller .xlsx.")
    if any(n.startswith("ppt/") for n in namn):
        return Format("pptx", "Filen är en PowerPoint-presentation, inte en dataexport – exportera data som CSV eller .xlsx.")
    return Format("zip", "Filen är ett zip-arkiv – packa upp den och lägg exportfilerna i källmappen.")


def _ar_utf16(borjan: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte NUL in mostly-ASCII text."""
    prov = borjan[:4096]
    if len(prov) < 8:
        return False
    jamna, udda = prov[0::2], prov[1::2]
    return max(jamna.count(0) / len(jamna), udda.count(0) / len(udda)) > 0.4


def kanna_igen(sokvag: Path) -> Format:
    """The file's real format from its first bytes."""
    with sokvag.open("rb") as f:
        borjan = f.read(_TITT)
    if not borjan:
        return Format("tom", "Filen är tom.")
    if borjan.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip(sokvag)
    if borjan.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Format("xls", "Filen är en Excel-arbetsbok i det gamla formatet (.xls) – spara den som .xlsx eller CSV.")
    if borjan.startswith(b"%PDF"):
        return Format("pdf", "Filen är en PDF, inte en dataexport – exportera data som CSV eller .xlsx.")
    if borjan.startswith(b"\x1f\x8b"):
        return Format("gzip", "Filen är gzip-komprimerad – packa upp den först.")
    if borjan.startswith((b"\xff\xfe", b"\xfe\xff")) or _ar_utf16(borjan):
        return Format("utf16", "Filen är kodad som UTF-16 – spara den som UTF-8 (i Excel: 'CSV UTF-8').")
    inledning = borjan.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if inledning.startswith((b"<!doctype html", b"<html")):
        return Format("html", "Filen är en webbsida (HTML), inte en CSV-fil – exportera data som CSV eller .xlsx.")
    if inledning.startswith(b"<?xml"):
        return Format("xml", "Filen är XML (t.ex. Excel 2003-XML), inte en CSV-fil – spara den som .xlsx eller CSV.")
    # Text has no NUL bytes and almost no control characters besides tab, CR, LF and form feed.
    if b"\x00" in borjan:
        return Format("binar", "Filen är inte text (den innehåller binärdata) – kontrollera att rätt fil exporterades.")
    styrtecken = len(borjan) - len(borjan.translate(None, _STYRTECKEN))  # one pass, in C
    if styrtecken > max(4, len(borjan) // 100):
        return Format("binar", "Filen är inte text (den innehåller binärdata) – kontrollera att rätt fil exporterades.")
    return Format(TEXT)
