"""The follow-up store: analyses, final assessments and activity status per goal, unit and period, every save a new version."""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, Select, Table, bindparam, exc, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kpi.format import MANADER, STATUS_ORD
from kpi.period import Period
from sakerhet import innehaller_personnummer
from uppfoljning import databas
from uppfoljning.databas import DatabasOtillganglig, UppfoljningFel, anslutning
from uppfoljning.regler import AKTIVITETSSTATUS, BEDOMNINGAR
from uppfoljning.tabeller import ENHET_LANGD, FORFATTARE_LANGD, ID_LANGD, aktivitetsstatus, analyser, bedomningar, perioder, periodhandelser

UTKAST, KLAR = "utkast", "klar"
TILLSTAND = {UTKAST: "Utkast", KLAR: "Klar"}
FASTSTALLD, OPPNAD = "faststalld", "oppnad"

# Lengths in characters: a report paragraph is 1 000–3 000; the limits stop pasted documents, not long analyses.
MAX_ANALYS = 10_000
MAX_ATGARDER = 10_000
MAX_MOTIVERING = 4_000
MAX_KOMMENTAR = 2_000

_STYRTECKEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SVENSK_TID = ZoneInfo("Europe/Stockholm")


class OgiltigInmatning(UppfoljningFel):
    """Input the store refuses (too long, a personnummer, missing motivation, unknown state …)."""


class PeriodenFaststalld(UppfoljningFel):
    """The period is fastställd: nothing in it can be changed until it is reopened."""


class Versionskonflikt(UppfoljningFel):
    """A newer version was saved after the one the edit was based on; `ditt` is the refused content, `senaste` the newest."""

    def __init__(self, meddelande: str, ditt: dict[str, Any], senaste: Any):
        super().__init__(meddelande)
        self.ditt, self.senaste = ditt, senaste


@dataclass(frozen=True)
class Analysversion:
    """One saved version of Analys and Åtgärder (indikator None = the goal's own analysis, enhet None = hela verksamheten)."""

    period: str
    mal_id: str
    indikator: str | None
    enhet: str | None
    version: int
    analys: str
    atgarder: str
    tillstand: str  # 'utkast' | 'klar'
    forfattare: str
    sparad: datetime  # UTC


@dataclass(frozen=True)
class Bedomningsversion:
    """One saved final assessment of a goal, with the proposal it was set against and the motivation."""

    period: str
    mal_id: str
    enhet: str | None
    version: int
    bedomning: str  # kpi.targets ids
    forslag: str
    motivering: str
    forfattare: str
    sparad: datetime

    @property
    def avviker(self) -> bool:
        """True when the person's assessment differs from the proposal."""
        return self.bedomning != self.forslag


@dataclass(frozen=True)
class Aktivitetsversion:
    """One saved status and comment of an activity in a period."""

    period: str
    aktivitet_id: str
    enhet: str | None
    version: int
    status: str  # uppfoljning.regler.AKTIVITETSSTATUS ids
    forslag: str
    kommentar: str
    forfattare: str
    sparad: datetime


@dataclass(frozen=True)
class Periodhandelse:
    """A fixation or reopening of a period."""

    period: str
    version: int
    handelse: str  # 'faststalld' | 'oppnad'
    motivering: str
    forfattare: str
    sparad: datetime


@dataclass(frozen=True)
class Periodstatus:
    """Whether a period is fastställd, and every fixation and reopening, newest first."""

    period: str
    faststalld: bool
    historik: tuple[Periodhandelse, ...]

    @property
    def senaste(self) -> Periodhandelse | None:
        """The newest event (None when the period was never fastställd)."""
        return self.historik[0] if self.historik else None


@dataclass(frozen=True)
class Saknad:
    """A goal and unit without a finished analysis for the period (tillstand None = nothing written, 'utkast' = not klar)."""

    mal_id: str
    enhet: str | None
    tillstand: str | None


def tid_text(t: datetime) -> str:
    """'12 maj 2024 kl. 14.03' in Swedish time."""
    lokal = t.astimezone(_SVENSK_TID)
    return f"{lokal.day} {MANADER[lokal.month - 1]} {lokal.year} kl. {lokal:%H.%M}"


def period_av(period: Period | str) -> Period:
    """A follow-up period: a Period (year or tertial) or its key '2024' / '2024-T2'."""
    try:
        p = Period.parse(period) if isinstance(period, str) else period
    except ValueError as fel:
        raise OgiltigInmatning(f"Ogiltig period: {period!r}. Ange ett år (2024) eller ett tertial (2024-T2).") from fel
    if not isinstance(p, Period) or p.month is not None or p.ytd:
        raise OgiltigInmatning(f"Målen följs upp per tertial och helår – {getattr(p, 'label', period)} går inte.")
    if not 2000 <= p.year <= 2100:
        raise OgiltigInmatning(f"Året {p.year} ligger utanför 2000–2100.")
    return p


def ren_text(text: str | None, falt: str, maxlangd: int, kravs: bool = False) -> str:
    """Plain text as stored: NFC, line breaks as \\n, trimmed; refused (Swedish message) when too long, with control characters or a personnummer."""
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise OgiltigInmatning(f"{falt} ska vara text.")
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").strip()
    if kravs and not text:
        raise OgiltigInmatning(f"{falt} får inte vara tom.")
    if _STYRTECKEN.search(text):
        raise OgiltigInmatning(f"{falt} innehåller otillåtna styrtecken – skriv eller klistra in texten som vanlig text.")
    if len(text) > maxlangd:
        raise OgiltigInmatning(f"{falt} får vara högst {maxlangd:,} tecken; texten har {len(text):,}.".replace(",", "\u00a0"))
    if innehaller_personnummer(text):
        raise OgiltigInmatning(
            f"{falt} innehåller något som ser ut som ett personnummer. Ta bort det och spara igen – personnummer får inte sparas i uppföljningen."
        )
    return text


def _id(varde: str, falt: str) -> str:
    return ren_text(varde, falt, ID_LANGD, kravs=True)


def _enhet(enhet: str | None) -> str:
    """'' for hela verksamheten (None or blank), else the unit's name."""
    return ren_text(enhet, "Enhet", ENHET_LANGD)


def _analysnyckel(mal_id: str, enhet: str | None, indikator: str | None) -> dict[str, str]:
    return {"mal_id": _id(mal_id, "Mål"), "indikator": ren_text(indikator, "Indikator", ID_LANGD), "enhet": _enhet(enhet)}


def _malnyckel(mal_id: str, enhet: str | None) -> dict[str, str]:
    return {"mal_id": _id(mal_id, "Mål"), "enhet": _enhet(enhet)}


def _aktivitetsnyckel(aktivitet_id: str, enhet: str | None) -> dict[str, str]:
    return {"aktivitet_id": _id(aktivitet_id, "Aktivitet"), "enhet": _enhet(enhet)}


def _utc(t: datetime) -> datetime:
    # SQLite stores the UTC clock time without its zone; PostgreSQL returns timestamptz in the session's zone.
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def _analys(r) -> Analysversion:
    return Analysversion(
        r["period"],
        r["mal_id"],
        r["indikator"] or None,
        r["enhet"] or None,
        r["version"],
        r["analys"],
        r["atgarder"],
        r["tillstand"],
        r["forfattare"],
        _utc(r["sparad"]),
    )


def _bedomning(r) -> Bedomningsversion:
    return Bedomningsversion(
        r["period"], r["mal_id"], r["enhet"] or None, r["version"], r["bedomning"], r["forslag"], r["motivering"], r["forfattare"], _utc(r["sparad"])
    )


def _aktivitet(r) -> Aktivitetsversion:
    return Aktivitetsversion(
        r["period"],
        r["aktivitet_id"],
        r["enhet"] or None,
        r["version"],
        r["status"],
        r["forslag"],
        r["kommentar"],
        r["forfattare"],
        _utc(r["sparad"]),
    )


def _handelse(r) -> Periodhandelse:
    return Periodhandelse(r["period"], r["version"], r["handelse"], r["motivering"], r["forfattare"], _utc(r["sparad"]))


@dataclass(frozen=True)
class _Slag:
    """One kind of versioned record: its table, key columns (besides period), content columns and row → object."""

    tabell: Table
    nyckel: tuple[str, ...]
    innehall: tuple[str, ...]
    objekt: Callable[[Any], Any]
    namn: str  # 'analysen', 'bedömningen', 'aktivitetens status' in the messages


_ANALYS = _Slag(analyser, ("mal_id", "indikator", "enhet"), ("analys", "atgarder", "tillstand"), _analys, "analysen")
_BEDOMNING = _Slag(bedomningar, ("mal_id", "enhet"), ("bedomning", "forslag", "motivering"), _bedomning, "bedömningen")
_AKTIVITET = _Slag(aktivitetsstatus, ("aktivitet_id", "enhet"), ("status", "forslag", "kommentar"), _aktivitet, "aktivitetens status")


class Uppfoljningsdatabas:
    """The follow-up database. Thread-safe; the schema is created or upgraded at first use. Errors are UppfoljningFel."""

    def __init__(self, url: str | None = None):
        self.url = databas.databas_url(url)
        self._motor: Engine | None = None
        self._las = threading.Lock()

    @property
    def visningsnamn(self) -> str:
        """The database URL without password."""
        return databas.visningsnamn(self.url)

    @property
    def backend(self) -> str:
        """'sqlite' or 'postgresql'."""
        from sqlalchemy.engine import make_url

        return make_url(self.url).get_backend_name()

    def motor(self) -> Engine:
        """The engine, migrated to the newest schema on first use (raises DatabasOtillganglig when that fails)."""
        if self._motor is None:
            with self._las:
                if self._motor is None:
                    motor = databas.skapa_motor(self.url)
                    try:
                        databas.migrera(motor)
                    except BaseException:
                        motor.dispose()
                        raise
                    self._motor = motor
        return self._motor

    def stang(self) -> None:
        """Close every pooled connection (the object can be used again; it reconnects)."""
        with self._las:
            if self._motor is not None:
                self._motor.dispose()
                self._motor = None

    # ------------------------------------------------------------------ writing
    def spara_analys(
        self,
        period: Period | str,
        mal_id: str,
        *,
        analys: str,
        atgarder: str = "",
        tillstand: str = UTKAST,
        forfattare: str,
        baserad_pa: int | None,
        enhet: str | None = None,
        indikator: str | None = None,
    ) -> Analysversion:
        """Save Analys and Åtgärder as a new version; `baserad_pa` is the version the text was edited from (None/0 = new)."""
        if tillstand not in TILLSTAND:
            raise OgiltigInmatning(f"Okänt tillstånd {tillstand!r}: välj utkast eller klar.")
        innehall = {
            "analys": ren_text(analys, "Analys", MAX_ANALYS, kravs=tillstand == KLAR),
            "atgarder": ren_text(atgarder, "Åtgärder", MAX_ATGARDER),
            "tillstand": tillstand,
        }
        return self._spara(_ANALYS, period_av(period), _analysnyckel(mal_id, enhet, indikator), innehall, forfattare, baserad_pa)

    def satt_bedomning(
        self,
        period: Period | str,
        mal_id: str,
        *,
        bedomning: str,
        forslag: str,
        motivering: str = "",
        forfattare: str,
        baserad_pa: int | None,
        enhet: str | None = None,
    ) -> Bedomningsversion:
        """Save the final assessment; a motivation is required when it differs from the proposal."""
        for namn, varde in (("Bedömning", bedomning), ("Förslag", forslag)):
            if varde not in BEDOMNINGAR:
                raise OgiltigInmatning(f"{namn} {varde!r} är ingen bedömning: välj {', '.join(STATUS_ORD.values())}.")
        motivering = ren_text(motivering, "Motivering", MAX_MOTIVERING)
        if bedomning != forslag and not motivering:
            raise OgiltigInmatning(
                f"Bedömningen {STATUS_ORD[bedomning]} avviker från förslaget {STATUS_ORD[forslag]} – skriv en motivering till varför."
            )
        innehall = {"bedomning": bedomning, "forslag": forslag, "motivering": motivering}
        return self._spara(_BEDOMNING, period_av(period), _malnyckel(mal_id, enhet), innehall, forfattare, baserad_pa)

    def satt_aktivitetsstatus(
        self,
        period: Period | str,
        aktivitet_id: str,
        *,
        status: str,
        forslag: str | None = None,
        kommentar: str = "",
        forfattare: str,
        baserad_pa: int | None,
        enhet: str | None = None,
    ) -> Aktivitetsversion:
        """Save an activity's status and comment for the period (forslag: the proposed status it was set against)."""
        forslag = forslag or status
        for namn, varde in (("Status", status), ("Förslag", forslag)):
            if varde not in AKTIVITETSSTATUS:
                raise OgiltigInmatning(f"{namn} {varde!r} är ingen aktivitetsstatus: välj {', '.join(AKTIVITETSSTATUS.values())}.")
        innehall = {"status": status, "forslag": forslag, "kommentar": ren_text(kommentar, "Kommentar", MAX_KOMMENTAR)}
        return self._spara(_AKTIVITET, period_av(period), _aktivitetsnyckel(aktivitet_id, enhet), innehall, forfattare, baserad_pa)

    def faststall(self, period: Period | str, *, forfattare: str, motivering: str = "") -> Periodhandelse:
        """Mark the period fastställd: from now on every save in it is refused until it is reopened."""
        return self._periodhandelse(period_av(period), FASTSTALLD, forfattare, ren_text(motivering, "Motivering", MAX_MOTIVERING))

    def oppna(self, period: Period | str, *, forfattare: str, motivering: str) -> Periodhandelse:
        """Reopen a fastställd period; the reason is required and kept with the period's history."""
        return self._periodhandelse(period_av(period), OPPNAD, forfattare, ren_text(motivering, "Motivering", MAX_MOTIVERING, kravs=True))

    # ------------------------------------------------------------------ reading
    def senaste_analys(self, period: Period | str, mal_id: str, *, enhet: str | None = None, indikator: str | None = None) -> Analysversion | None:
        """The newest version of one analysis, or None when nothing is written."""
        historik = self._historik(_ANALYS, period, _analysnyckel(mal_id, enhet, indikator), 1)
        return historik[0] if historik else None

    def analyshistorik(self, period: Period | str, mal_id: str, *, enhet: str | None = None, indikator: str | None = None) -> list[Analysversion]:
        """Every version of one analysis, newest first."""
        return self._historik(_ANALYS, period, _analysnyckel(mal_id, enhet, indikator))

    def analyser(self, period: Period | str, *, enheter: Iterable[str | None] | None = None) -> list[Analysversion]:
        """The newest version of every analysis in the period (optionally only these units; None in the list = hela verksamheten)."""
        return self._senaste_per_nyckel(_ANALYS, period, enheter)

    def senaste_bedomning(self, period: Period | str, mal_id: str, *, enhet: str | None = None) -> Bedomningsversion | None:
        """The newest final assessment of a goal, or None."""
        historik = self._historik(_BEDOMNING, period, _malnyckel(mal_id, enhet), 1)
        return historik[0] if historik else None

    def bedomningshistorik(self, period: Period | str, mal_id: str, *, enhet: str | None = None) -> list[Bedomningsversion]:
        """Every saved assessment of a goal, newest first."""
        return self._historik(_BEDOMNING, period, _malnyckel(mal_id, enhet))

    def bedomningar(self, period: Period | str, *, enheter: Iterable[str | None] | None = None) -> list[Bedomningsversion]:
        """The newest final assessment of every goal in the period."""
        return self._senaste_per_nyckel(_BEDOMNING, period, enheter)

    def senaste_aktivitetsstatus(self, period: Period | str, aktivitet_id: str, *, enhet: str | None = None) -> Aktivitetsversion | None:
        """The newest status of an activity in the period, or None."""
        historik = self._historik(_AKTIVITET, period, _aktivitetsnyckel(aktivitet_id, enhet), 1)
        return historik[0] if historik else None

    def aktivitetshistorik(self, period: Period | str, aktivitet_id: str, *, enhet: str | None = None) -> list[Aktivitetsversion]:
        """Every saved status of an activity in the period, newest first."""
        return self._historik(_AKTIVITET, period, _aktivitetsnyckel(aktivitet_id, enhet))

    def aktivitetsstatusar(self, period: Period | str, *, enheter: Iterable[str | None] | None = None) -> list[Aktivitetsversion]:
        """The newest status of every activity in the period."""
        return self._senaste_per_nyckel(_AKTIVITET, period, enheter)

    def periodstatus(self, period: Period | str) -> Periodstatus:
        """Whether the period is fastställd, with its fixation history."""
        p = period_av(period)
        t = periodhandelser
        with anslutning(self.motor(), skrivning=False) as conn:
            rader = conn.execute(select(t).where(t.c.period == p.key).order_by(t.c.version.desc())).mappings().all()
        historik = tuple(_handelse(r) for r in rader)
        return Periodstatus(p.key, bool(historik) and historik[0].handelse == FASTSTALLD, historik)

    def andringsnummer(self) -> tuple[int, ...]:
        """A token that changes with every save anywhere (the newest row id per table): cached reports and slides key on it."""
        tabeller = (analyser, bedomningar, aktivitetsstatus, periodhandelser)
        # one statement: every page view of Måluppfyllelse and APT asks
        fraga = select(*(select(func.coalesce(func.max(t.c.id), 0)).scalar_subquery() for t in tabeller))
        with anslutning(self.motor(), skrivning=False) as conn:
            return tuple(conn.execute(fraga).one())

    def saknade_analyser(self, period: Period | str, mal_ids: Iterable[str], enheter: Iterable[str | None] = (None,)) -> list[Saknad]:
        """Goals × units whose own analysis (not per indicator) is missing or not yet klar, in the given order."""
        enheter = [_enhet(e) or None for e in enheter]
        senaste = {(a.mal_id, a.enhet): a for a in self.analyser(period, enheter=enheter) if a.indikator is None}
        saknade = []
        for mal_id in mal_ids:
            for enhet in enheter:
                a = senaste.get((_id(mal_id, "Mål"), enhet))
                if a is None or a.tillstand != KLAR:
                    saknade.append(Saknad(mal_id, enhet, a.tillstand if a else None))
        return saknade

    # ------------------------------------------------------------------ internals
    def _las_period(self, conn: Connection, p: Period, uppdatera: bool) -> Periodhandelse | None:
        """Create the period's row if new, lock it (share for saves, exclusive for fixing), return its newest event."""
        infoga = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        conn.execute(infoga(perioder).values(period=p.key, ar=p.year, tertial=p.tertial).on_conflict_do_nothing(index_elements=["period"]))
        # PostgreSQL: a fixation waits for saves in flight, and a save that waited for a fixation then sees it.
        conn.execute(select(perioder.c.period).where(perioder.c.period == p.key).with_for_update(read=not uppdatera))
        t = periodhandelser
        rad = conn.execute(select(t).where(t.c.period == p.key).order_by(t.c.version.desc()).limit(1)).mappings().first()
        return _handelse(rad) if rad else None

    def _spara(self, slag: _Slag, p: Period, nyckel: dict[str, str], innehall: dict[str, str], forfattare: str, baserad_pa: int | None):
        forfattare = ren_text(forfattare, "Författare", FORFATTARE_LANGD, kravs=True)
        utgick = baserad_pa or 0
        t = slag.tabell
        villkor = [t.c.period == p.key, *(t.c[k] == v for k, v in nyckel.items())]
        try:
            with anslutning(self.motor(), skrivning=True) as conn:
                handelse = self._las_period(conn, p, uppdatera=False)
                if handelse is not None and handelse.handelse == FASTSTALLD:
                    raise PeriodenFaststalld(
                        f"{p.label} är fastställd ({handelse.forfattare}, {tid_text(handelse.sparad)}) och kan inte ändras. "
                        "Verksamhetschefen kan öppna perioden igen."
                    )
                rad = conn.execute(select(t).where(*villkor).order_by(t.c.version.desc()).limit(1)).mappings().first()
                senaste = rad["version"] if rad else 0
                if rad is not None and all(rad[k] == v for k, v in innehall.items()):
                    return slag.objekt(rad)  # nothing changed (a double click, or the same text twice): no new version
                if utgick > senaste:
                    raise OgiltigInmatning(f"Version {utgick} av {slag.namn} finns inte (senaste är {senaste}).")
                if utgick != senaste:
                    raise self._konflikt(slag, innehall, slag.objekt(rad))
                ny = {"period": p.key, **nyckel, **innehall, "version": senaste + 1, "forfattare": forfattare, "sparad": datetime.now(UTC)}
                conn.execute(insert(t).values(ny))
                return slag.objekt(ny)
        except exc.IntegrityError as fel:
            # PostgreSQL: another save of the same next version committed between our read and our insert.
            historik = self._historik(slag, p, nyckel, 1)
            if historik and historik[0].version > utgick:
                raise self._konflikt(slag, innehall, historik[0]) from None
            raise DatabasOtillganglig("Uppföljningsdatabasen vägrade spara – kontakta systemförvaltaren.") from fel

    @staticmethod
    def _konflikt(slag: _Slag, innehall: dict[str, str], senaste) -> Versionskonflikt:
        return Versionskonflikt(
            f"{slag.namn.capitalize()} har ändrats av {senaste.forfattare} ({tid_text(senaste.sparad)}, version {senaste.version}) "
            "efter att du började redigera. Din text är inte sparad: jämför den med den senaste versionen och spara igen.",
            dict(innehall),
            senaste,
        )

    def _periodhandelse(self, p: Period, handelse: str, forfattare: str, motivering: str) -> Periodhandelse:
        forfattare = ren_text(forfattare, "Författare", FORFATTARE_LANGD, kravs=True)
        with anslutning(self.motor(), skrivning=True) as conn:
            senaste = self._las_period(conn, p, uppdatera=True)
            faststalld = senaste is not None and senaste.handelse == FASTSTALLD
            if handelse == FASTSTALLD and faststalld:
                raise PeriodenFaststalld(f"{p.label} är redan fastställd ({senaste.forfattare}, {tid_text(senaste.sparad)}).")
            if handelse == OPPNAD and not faststalld:
                raise OgiltigInmatning(f"{p.label} är inte fastställd, så den behöver inte öppnas.")
            ny = {
                "period": p.key,
                "version": (senaste.version if senaste else 0) + 1,
                "handelse": handelse,
                "motivering": motivering,
                "forfattare": forfattare,
                "sparad": datetime.now(UTC),
            }
            conn.execute(insert(periodhandelser).values(ny))
        return _handelse(ny)

    def _historik(self, slag: _Slag, period: Period | str, nyckel: dict[str, str], antal: int | None = None) -> list:
        p = period_av(period)
        t = slag.tabell
        fraga = select(t).where(t.c.period == p.key, *(t.c[k] == v for k, v in nyckel.items())).order_by(t.c.version.desc())
        if antal:
            fraga = fraga.limit(antal)
        with anslutning(self.motor(), skrivning=False) as conn:
            return [slag.objekt(r) for r in conn.execute(fraga).mappings().all()]

    def _senaste_per_nyckel(self, slag: _Slag, period: Period | str, enheter: Iterable[str | None] | None) -> list:
        p = period_av(period)
        params: dict = {"period": p.key}
        if enheter is not None:
            params["enheter"] = [_enhet(e) for e in enheter]
        with anslutning(self.motor(), skrivning=False) as conn:
            return [slag.objekt(r) for r in conn.execute(_senaste_fraga(slag, enheter is not None), params).mappings().all()]


@functools.cache
def _senaste_fraga(slag: _Slag, per_enhet: bool) -> Select:
    """The newest version per key of a kind of record in a period (optionally for some units), built once: every view of
    Måluppfyllelse asks, and building the statement cost more than running it."""
    t = slag.tabell
    nummer = func.row_number().over(partition_by=[t.c[k] for k in slag.nyckel], order_by=t.c.version.desc()).label("nummer")
    villkor = [t.c.period == bindparam("period")]
    if per_enhet:
        villkor.append(t.c.enhet.in_(bindparam("enheter", expanding=True)))
    del_ = select(t, nummer).where(*villkor).subquery()
    return select(*(del_.c[c.name] for c in t.columns)).where(del_.c.nummer == 1).order_by(*(del_.c[k] for k in slag.nyckel))
