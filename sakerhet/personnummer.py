"""Personnummer and samordningsnummer: recognise them in any text and replace them, so none leaves the raw file."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

PERSONNUMMER_ERSATTNING = "[personnummer dolt]"

# YYMMDD or YYYYMMDD (century 18–20), a separator or none, then four digits. The day may be 61–91
# (samordningsnummer). No Luhn check on purpose: a mistyped number is still a person's number.
# Not glued to other digits, so amounts, checksums and longer ids are left alone.
_DATUM = r"(?:18|19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])"
# '-', '+', the Unicode dashes and minus, or a space; spaces around a dash too ('121212 - 1212'), as typed by hand.
# Digits elsewhere may be any Unicode digits (\d), e.g. full-width ones pasted from a PDF.
_STRECK = r"[-+\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0b\uff0d]"
_SEPARATOR = rf"(?:[ \u00a0\u202f]?{_STRECK}[ \u00a0\u202f]?|[ \u00a0\u202f])?"
_PNR = re.compile(rf"(?<!\d)(?:{_DATUM}){_SEPARATOR}\d{{4}}(?!\d)")
# A 12-digit personnummer saved as a number in Excel and shown in scientific notation: 1,99001011234E+11.
_PNR_FLYTTAL = re.compile(r"(?<!\d)\d[.,]\d{6,11}[eE]\+?(?:0?9|11)(?!\d)")


# Invisible characters a copy from a web page or PDF leaves inside a number ('121212\u200b-1212').
_OSYNLIGA = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
# Every spelling holds six digits in a row (the date, or the digits of 1,99001011234E+11), invisible characters aside:
# text without them is returned at once, which is nearly all text (the full patterns cost 4× more per character).
_SEX_SIFFROR = re.compile("\\d(?:[\u00ad\u200b-\u200d\u2060\ufeff]*\\d){5}")


def _har(s: str) -> bool:
    return bool(_PNR.search(s) or _PNR_FLYTTAL.search(s))


def _normaliserad(s: str) -> str:
    """Full-width digits and dashes as ASCII (NFKC), invisible characters removed."""
    return _OSYNLIGA.sub("", unicodedata.normalize("NFKC", s))


def _ersatt(s: str) -> str:
    return _PNR_FLYTTAL.sub(PERSONNUMMER_ERSATTNING, _PNR.sub(PERSONNUMMER_ERSATTNING, s))


def innehaller_personnummer(text: Any) -> bool:
    """True when the value holds something shaped like a personnummer or samordningsnummer."""
    if text is None:
        return False
    s = str(text)
    if not _SEX_SIFFROR.search(s):
        return False
    return _har(s) or (s.isascii() is False and _har(_normaliserad(s)))


def maskera(text: Any) -> Any:
    """The text with every personnummer replaced; non-strings (numbers, None) pass through unless they hold one."""
    if text is None:
        return None
    if not isinstance(text, str):
        s = str(text)
        return PERSONNUMMER_ERSATTNING if innehaller_personnummer(s) else text
    if not _SEX_SIFFROR.search(text):
        return text
    ut = _ersatt(text)
    if not ut.isascii() and _har(_normaliserad(ut)):
        # a number hidden behind full-width digits or invisible characters: the normalised text is shown instead
        ut = _ersatt(_normaliserad(ut))
    return ut


def maskera_allt(varde: Any) -> Any:
    """maskera() applied through lists, tuples and dicts (run-log rows, report lines, JSON)."""
    if isinstance(varde, dict):
        return {maskera_allt(k): maskera_allt(v) for k, v in varde.items()}
    if isinstance(varde, (list, tuple)):
        return type(varde)(maskera_allt(v) for v in varde)
    return maskera(varde)
