"""Text values as the lake keeps them: one Unicode form, single spaces, code-like values and units in canonical spelling."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

from sakerhet import innehaller_personnummer

# Soft hyphen, zero-width space/joiners, word joiner and a stray byte-order mark: invisible, but a different name.
OSYNLIGA = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_OSYNLIGA = re.compile(f"[{OSYNLIGA}]")
_MELLANRUM = re.compile(r"\s+")
# Above this many distinct values a column is normalised with polars expressions instead of value by value.
MANGA_VARDEN = 50_000

ALIAS, VARIANT, OKAND, NORMALISERAD = "alias", "variant", "okand", "normaliserad"


def normalisera(varde: str) -> str:
    """NFC, invisible characters removed, every run of whitespace one space, trimmed."""
    return _MELLANRUM.sub(" ", _OSYNLIGA.sub("", unicodedata.normalize("NFC", varde))).strip()


def normalisera_uttryck(e: pl.Expr) -> pl.Expr:
    """normalisera() as a polars expression; empty → null."""
    s = e.str.normalize("NFC").str.replace_all(f"[{OSYNLIGA}]", "").str.replace_all(r"\s+", " ").str.strip_chars()
    return pl.when(s.str.len_bytes() > 0).then(s)


def nyckel(varde: str) -> str:
    """Match key: two names with the same key differ only in case, whitespace or Unicode form (NFKC)."""
    return _MELLANRUM.sub("", _OSYNLIGA.sub("", unicodedata.normalize("NFKC", varde))).casefold()


@dataclass(frozen=True)
class Namnregister:
    """Canonical spellings of a column's values (a unit register, or the known values of the source spec)."""

    kanon: dict[str, str] = field(default_factory=dict)  # nyckel → canonical spelling
    alias: frozenset[str] = frozenset()  # keys that are aliases rather than a canonical name's own key
    flagga_okanda: bool = True  # an unknown value is reported (still loaded)

    @classmethod
    def av(cls, namn: Iterable[str], alias: Iterable[tuple[str, str]] = (), flagga_okanda: bool = True) -> Namnregister:
        """Register from canonical names and (alias, canonical name) pairs."""
        kanon = {nyckel(n): normalisera(n) for n in namn}
        aliasnycklar = set()
        for a, n in alias:
            kanon.setdefault(nyckel(n), normalisera(n))
            if nyckel(a) != nyckel(n):
                kanon[nyckel(a)] = normalisera(n)
                aliasnycklar.add(nyckel(a))
        return cls(kanon, frozenset(aliasnycklar), flagga_okanda)

    def __bool__(self) -> bool:
        return bool(self.kanon)


@dataclass
class Namnnotis:
    """A value rewritten or not recognised in one column of one file (for the run log and Datakvalitet)."""

    kolumn: str  # internal column name
    skrivet: str  # as written in the file (trimmed)
    tolkat: str | None  # the spelling loaded; None for an unknown value (loaded as written, normalised)
    typ: str  # 'alias' | 'variant' | 'normaliserad' | 'okand'
    rader: int


def synlig(varde: str) -> str:
    """The value as it can be shown: invisible characters, combining marks and unusual spaces named, doubled spaces visible."""
    ut = []
    for tecken in varde:
        if tecken in OSYNLIGA or unicodedata.combining(tecken) or (tecken.isspace() and tecken != " "):
            ut.append(f"[U+{ord(tecken):04X}]")
        else:
            ut.append(tecken)
    return re.sub(r" {2,}", lambda m: "␣" * len(m.group()), "".join(ut))


def tolka_varde(skrivet: str, register: Namnregister | None) -> tuple[str | None, str | None]:
    """(value to load, notice type or None) for one written value."""
    trimmad = skrivet.strip()
    n = normalisera(skrivet)
    if not n:
        return None, None
    if register:
        k = nyckel(n)
        if k in register.kanon:
            kanonisk = register.kanon[k]
            if k in register.alias:
                return kanonisk, ALIAS
            return kanonisk, (VARIANT if trimmad != kanonisk else None)
        if register.flagga_okanda:
            return n, OKAND
    return n, (NORMALISERAD if trimmad != n else None)


# Anything that makes a value differ from its normal form: an invisible character, a run of whitespace, whitespace other
# than the ASCII space, or whitespace at either end (values are joined by NUL, which no text value holds).
_SKEV = re.compile(f"[{OSYNLIGA}]|\\s\\s|[^\\S ]|(?:^|\\x00)\\s|\\s(?:\\x00|$)")
# Distinct values already found normal and free of personnummer, shared by all files of a run (a city's 120 monthly
# files repeat the same few hundred names: each is checked once). Capped so free text cannot grow it without end.
_KANDA: set[str] = set()
_KANDA_MAX = 200_000


def _normal(varde: str) -> bool:
    """True for a value already as the lake keeps it: NFC, no invisible characters, single ASCII spaces, trimmed."""
    return bool(varde) and unicodedata.is_normalized("NFC", varde) and not _SKEV.search(varde)


def text_kolumn(
    s: pl.Series,
    register: Namnregister | None = None,
    notiser: list[Namnnotis] | None = None,
    personnummer: set[str] | None = None,
) -> pl.Series:
    """A raw text column normalised (and mapped through `register`), each distinct value handled once.

    Notices go to `notiser`; values holding a personnummer are collected in `personnummer` (the caller rejects the file).
    The usual case — every value already normal and, with a register, already canonical — is decided on the distinct
    values not seen before, all at once (one search over them joined).
    """
    unika = [x for x in s.unique().to_list() if x is not None]
    nya = [x for x in unika if x not in _KANDA]
    normala = True
    if nya:
        alla = "\x00".join(nya)
        med_nummer = set()
        if innehaller_personnummer(alla):
            med_nummer = {x for x in nya if innehaller_personnummer(x)}
            if personnummer is not None:
                personnummer.update(med_nummer)
        normala = all(nya) and unicodedata.is_normalized("NFC", alla) and not _SKEV.search(alla)
        if len(_KANDA) < _KANDA_MAX:
            _KANDA.update(x for x in nya if x not in med_nummer and (normala or _normal(x)))
    if normala and (not register or set(unika) <= set(register.kanon.values())):
        return s  # every value already as the lake keeps it: no copy, no notice
    att_tolka = unika if register else [x for x in unika if not _normal(x)]
    if len(att_tolka) > MANGA_VARDEN:
        return s.to_frame().select(normalisera_uttryck(pl.col(s.name))).to_series()
    karta: dict[str, str | None] = {}
    noterade: dict[str, tuple[str | None, str]] = {}
    for skrivet in att_tolka:
        tolkat, typ = tolka_varde(skrivet, register)
        if tolkat != skrivet:
            karta[skrivet] = tolkat
        if typ is not None:
            noterade[skrivet] = (tolkat if typ != OKAND else None, typ)
    if noterade and notiser is not None:
        per_notis: dict[tuple[str, str | None, str], int] = {}
        for skrivet, antal in s.filter(s.is_in(list(noterade))).value_counts().iter_rows():
            nyckel_ = (synlig(skrivet.strip()), *noterade[skrivet])
            per_notis[nyckel_] = per_notis.get(nyckel_, 0) + antal
        notiser += [Namnnotis(s.name, skrivet, tolkat, typ, antal) for (skrivet, tolkat, typ), antal in sorted(per_notis.items(), key=str)]
    if not karta:
        return s  # every value already as the lake keeps it: no copy
    return s.replace(karta)
