"""Personnummer and samordningsnummer: recognise them in any text and replace them, so none leaves the raw file."""

from __future__ import annotations

import re
from typing import Any

PERSONNUMMER_ERSATTNING = "[personnummer dolt]"

# YYMMDD or YYYYMMDD (century 18–20), a separator or none, then four digits. The day may be 61–91
# (samordningsnummer). No Luhn check on purpose: a mistyped number is still a person's number.
# Not glued to other digits, so amounts, checksums and longer ids are left alone.
_DATUM = r"(?:18|19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])"
_SEPARATOR = r"[-+\u2010\u2011\u2012\u2013\u2212 ]?"
_PNR = re.compile(rf"(?<!\d)(?:{_DATUM}){_SEPARATOR}\d{{4}}(?!\d)")
# A 12-digit personnummer saved as a number in Excel and shown in scientific notation: 1,99001011234E+11.
_PNR_FLYTTAL = re.compile(r"(?<!\d)\d[.,]\d{6,11}[eE]\+?(?:0?9|11)(?!\d)")


def innehaller_personnummer(text: Any) -> bool:
    """True when the value holds something shaped like a personnummer or samordningsnummer."""
    if text is None:
        return False
    s = str(text)
    return bool(_PNR.search(s) or _PNR_FLYTTAL.search(s))


def maskera(text: Any) -> Any:
    """The text with every personnummer replaced; non-strings (numbers, None) pass through unless they hold one."""
    if text is None:
        return None
    if not isinstance(text, str):
        s = str(text)
        return PERSONNUMMER_ERSATTNING if innehaller_personnummer(s) else text
    return _PNR_FLYTTAL.sub(PERSONNUMMER_ERSATTNING, _PNR.sub(PERSONNUMMER_ERSATTNING, text))


def maskera_allt(varde: Any) -> Any:
    """maskera() applied through lists, tuples and dicts (run-log rows, report lines, JSON)."""
    if isinstance(varde, dict):
        return {maskera_allt(k): maskera_allt(v) for k, v in varde.items()}
    if isinstance(varde, (list, tuple)):
        return type(varde)(maskera_allt(v) for v in varde)
    return maskera(varde)
