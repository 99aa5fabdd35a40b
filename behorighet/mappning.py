"""The mapping file: sign-in claims (groups, e-mail) → roles and units, read from TOML and checked with Swedish errors."""

from __future__ import annotations

import os
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from behorighet.roller import ALLA_ENHETER, ENHETSBUNDNA, ENHETSCHEF, ROLLER, SIDOR, VERKSAMHETSCHEF, far, far_se

ROT = Path(__file__).resolve().parent.parent
STANDARDFIL = ROT / "config" / "behorigheter.toml"
MILJOVARIABEL = "VU_BEHORIGHETER"


class Behorighetsfilfel(ValueError):
    """The mapping file is missing or wrong (the text is Swedish and names the file and the rule)."""


@dataclass(frozen=True)
class Anvandare:
    """Who is signed in and what they may see: roles, and for enhetschef the units."""

    id: str  # e-mail (or the provider's subject id): what the access log records
    namn: str
    roller: frozenset[str]
    enheter: tuple[str, ...] = ()  # units named by the matching enhetschef rules
    lokal: bool = False  # local mode: no login configured, the app listens on 127.0.0.1 only

    @property
    def omfang(self) -> tuple[str, ...] | None:
        """The unit scope for kpi.Filters: None = every unit, else the user's units (empty: no unit figures)."""
        if self.lokal or self.roller & ALLA_ENHETER:
            return None
        return self.enheter

    @property
    def ser_enhetsdata(self) -> bool:
        """False for a user whose roles show no unit figures at all (dataansvarig only)."""
        return self.lokal or bool(self.roller & (ALLA_ENHETER | ENHETSBUNDNA))

    def far_se(self, sida: str) -> bool:
        """May the user open the page (URL path = file name without .py)?"""
        return self.lokal or far_se(self.roller, sida)

    def far(self, formaga: str) -> bool:
        """May the user perform the action (behorighet.roller.FORMAGOR)?"""
        return self.lokal or far(self.roller, formaga)

    def far_skriva_for(self, enhet: str | None) -> bool:
        """May the user write analyses, assessments and activity status for the unit (None = hela verksamheten)?"""
        if self.lokal or VERKSAMHETSCHEF in self.roller:
            return True
        return enhet is not None and ENHETSCHEF in self.roller and enhet in self.enheter

    @property
    def forfattare(self) -> str:
        """How saves are signed: 'Elin Enhetschef (elin@stad.se)', or the name alone when it is the identity."""
        return self.namn if self.namn == self.id or not self.id else f"{self.namn} ({self.id})"

    @property
    def rolltext(self) -> str:
        """'enhetschef (Löneenhet Nord)' for people."""
        if self.lokal:
            return "lokalt läge"
        text = ", ".join(sorted(self.roller))
        return f"{text} ({', '.join(self.enheter)})" if self.omfang else text

    @property
    def sidor(self) -> list[str]:
        """The pages the user may open, in the matrix order."""
        return [s for s in SIDOR if self.far_se(s)]


LOKAL = Anvandare(id="lokalt läge", namn="Lokalt läge", roller=frozenset(ROLLER), lokal=True)


@dataclass(frozen=True)
class Regel:
    """One rule of the file: a group or an e-mail address gives a role (and, for enhetschef, units)."""

    roll: str
    grupp: str | None = None
    epost: str | None = None
    enheter: tuple[str, ...] = ()


@dataclass(frozen=True)
class Behorigheter:
    """The whole mapping file, parsed and checked."""

    regler: tuple[Regel, ...]
    kontakt: str
    grupp_ansprak: tuple[str, ...] = ("groups", "roles")
    epost_ansprak: tuple[str, ...] = ("email", "preferred_username", "upn")
    giltig_timmar: float = 12.0
    fil: str = field(default="", compare=False)

    def identitet(self, ansprak: Mapping) -> str:
        """Who the claims describe, for the log: the first e-mail claim, else the provider's subject id."""
        for namn in self.epost_ansprak:
            v = ansprak.get(namn)
            if isinstance(v, str) and v.strip():
                return v.strip()
        return str(ansprak.get("sub") or "okänd")

    def anvandare(self, ansprak: Mapping) -> Anvandare | None:
        """The user the claims describe with every matching rule's role and units; None when no rule matches."""
        grupper = {g.casefold() for namn in self.grupp_ansprak for g in _lista(ansprak.get(namn))}
        adresser = {a.casefold() for namn in self.epost_ansprak for a in _lista(ansprak.get(namn))}
        traffar = [r for r in self.regler if (r.grupp and r.grupp.casefold() in grupper) or (r.epost and r.epost.casefold() in adresser)]
        if not traffar:
            return None
        enheter: list[str] = []
        for r in traffar:
            enheter += [e for e in r.enheter if e not in enheter]
        id_ = self.identitet(ansprak)
        namn = ansprak.get("name")
        return Anvandare(
            id=id_, namn=namn if isinstance(namn, str) and namn.strip() else id_, roller=frozenset(r.roll for r in traffar), enheter=tuple(enheter)
        )

    def utgangen(self, ansprak: Mapping, nu: float | None = None) -> bool:
        """True when the sign-in (auth_time or iat) is older than giltig_timmar; the identity cookie itself lives 30 days."""
        inloggad = ansprak.get("auth_time") or ansprak.get("iat")
        if not isinstance(inloggad, (int, float)):
            return False
        return (nu if nu is not None else time.time()) - inloggad > self.giltig_timmar * 3600


def _lista(varde) -> list[str]:
    """A claim as a list of strings (Entra sends groups as a list, some providers one string)."""
    if isinstance(varde, str):
        return [varde] if varde.strip() else []
    if isinstance(varde, (list, tuple)):
        return [v for v in varde if isinstance(v, str) and v.strip()]
    return []


_TOPPNYCKLAR = {"kontakt", "inloggning", "regel"}
_INLOGGNINGSNYCKLAR = {"grupp_ansprak", "epost_ansprak", "giltig_timmar"}
_REGELNYCKLAR = {"roll", "grupp", "epost", "enheter"}


def _strangar(varde, var: str) -> tuple[str, ...]:
    if not isinstance(varde, list) or not varde or not all(isinstance(v, str) and v.strip() for v in varde):
        raise Behorighetsfilfel(f'{var} ska vara en lista med minst en text, t.ex. ["groups"].')
    return tuple(v.strip() for v in varde)


def tolka(data: Mapping, fil: str = "") -> Behorigheter:
    """Check a parsed mapping file and build Behorigheter; every error names the rule and says what is wrong."""
    okanda = set(data) - _TOPPNYCKLAR
    if okanda:
        raise Behorighetsfilfel(f"Okänd nyckel i behörighetsfilen: {', '.join(sorted(okanda))} (tillåtna: kontakt, [inloggning], [[regel]]).")
    kontakt = data.get("kontakt")
    if not isinstance(kontakt, str) or not kontakt.strip():
        raise Behorighetsfilfel('Behörighetsfilen saknar kontakt = "…" (vem en användare utan behörighet ska vända sig till).')
    inloggning = data.get("inloggning", {})
    if not isinstance(inloggning, Mapping) or set(inloggning) - _INLOGGNINGSNYCKLAR:
        raise Behorighetsfilfel(f"[inloggning] får bara innehålla {', '.join(sorted(_INLOGGNINGSNYCKLAR))}.")
    extra = {}
    if "grupp_ansprak" in inloggning:
        extra["grupp_ansprak"] = _strangar(inloggning["grupp_ansprak"], "[inloggning] grupp_ansprak")
    if "epost_ansprak" in inloggning:
        extra["epost_ansprak"] = _strangar(inloggning["epost_ansprak"], "[inloggning] epost_ansprak")
    if "giltig_timmar" in inloggning:
        t = inloggning["giltig_timmar"]
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 < t <= 24 * 30:
            raise Behorighetsfilfel("[inloggning] giltig_timmar ska vara ett tal mellan 0 och 720 (timmar).")
        extra["giltig_timmar"] = float(t)
    rader = data.get("regel", [])
    if not isinstance(rader, list):
        raise Behorighetsfilfel("Reglerna skrivs som [[regel]]-block.")
    regler = []
    for nr, r in enumerate(rader, start=1):
        var = f"Regel {nr}"
        if not isinstance(r, Mapping):
            raise Behorighetsfilfel(f"{var} är inte ett [[regel]]-block.")
        if set(r) - _REGELNYCKLAR:
            raise Behorighetsfilfel(f"{var}: okänd nyckel {', '.join(sorted(set(r) - _REGELNYCKLAR))} (tillåtna: roll, grupp, epost, enheter).")
        roll = r.get("roll")
        if roll not in ROLLER:
            raise Behorighetsfilfel(f"{var}: okänd roll {roll!r} (tillåtna: {', '.join(ROLLER)}).")
        grupp, epost = r.get("grupp"), r.get("epost")
        if (grupp is None) == (epost is None):
            raise Behorighetsfilfel(f'{var}: ange antingen grupp = "…" eller epost = "…" (exakt en av dem).')
        nyckel = grupp if grupp is not None else epost
        if not isinstance(nyckel, str) or not nyckel.strip():
            raise Behorighetsfilfel(f"{var}: grupp eller epost ska vara en text som inte är tom.")
        if roll in ENHETSBUNDNA:
            if "enheter" not in r:
                raise Behorighetsfilfel(f'{var}: rollen {roll} kräver enheter = ["…"] (vilka enheter personen ser).')
            enheter = _strangar(r["enheter"], f"{var}: enheter")
        elif "enheter" in r:
            raise Behorighetsfilfel(f"{var}: enheter anges bara för rollen enhetschef; {roll} ser {ROLLER[roll].split(',')[0]}.")
        else:
            enheter = ()
        regler.append(Regel(roll=roll, grupp=grupp.strip() if grupp else None, epost=epost.strip() if epost else None, enheter=enheter))
    return Behorigheter(regler=tuple(regler), kontakt=kontakt.strip(), fil=fil, **extra)


def mappningsfil() -> Path:
    """The mapping file in use: $VU_BEHORIGHETER, else the example config/behorigheter.toml."""
    return Path(os.environ.get(MILJOVARIABEL) or STANDARDFIL)


def las(sokvag: str | Path) -> Behorigheter:
    """Read and check one mapping file."""
    sokvag = Path(sokvag)
    try:
        text = sokvag.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise Behorighetsfilfel(f"Behörighetsfilen {sokvag} finns inte (ange den med {MILJOVARIABEL}).") from None
    except (OSError, UnicodeDecodeError) as fel:
        raise Behorighetsfilfel(f"Behörighetsfilen {sokvag} kan inte läsas: {fel}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as fel:
        raise Behorighetsfilfel(f"Behörighetsfilen {sokvag} är inte giltig TOML: {fel}") from None
    try:
        return tolka(data, str(sokvag))
    except Behorighetsfilfel as fel:
        raise Behorighetsfilfel(f"{sokvag}: {fel}") from None


@lru_cache(maxsize=8)
def _las_version(sokvag: str, mtime_ns: int, storlek: int) -> Behorigheter:
    return las(sokvag)


def aktuella() -> Behorigheter:
    """The mapping file in use, re-read when it changes on disk (an edit applies from the next page view)."""
    sokvag = mappningsfil()
    try:
        st = sokvag.stat()
    except OSError:
        return las(sokvag)  # raises the Swedish "finns inte"
    return _las_version(str(sokvag), st.st_mtime_ns, st.st_size)
