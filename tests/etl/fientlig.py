"""Hostile deliveries as code: every mistake a file share holds, per source, with the outcome each must get."""

from __future__ import annotations

import csv
import gzip
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from etl.kallor import KALLOR
from tests.etl.filer import KANON, VARIANTER, rendera, skriv_csv, skriv_variant

AVVISAD, INLAST = "avvisad", "inläst"

# The main number column of each source (text in numbers, NaN, 1e30, overflow …) and whether it may be negative.
TAL = {
    "volymer": ("Antal", False),
    "bemanning": ("Anställda", False),
    "telefoni": ("Inkommande", False),
    "samtal": ("Väntetid", False),
    "sjukfranvaro": ("Ordinarie arbetstid", False),
    "ekonomi": ("Budget", True),
    "prognos": ("Helårsprognos", True),
    "mal": ("Årsmål", True),
    "indikatorer": ("Utfall", True),
}
# The column holding a unit (the register applies) or, for telephony, a queue (the source spec's spellings apply).
NAMN = {
    "volymer": "Enhet",
    "bemanning": "Enhet",
    "sjukfranvaro": "Enhet",
    "ekonomi": "Ansvar",
    "prognos": "Ansvar",
    "mal": "Enhet",
    "indikatorer": "Enhet",
    "telefoni": "Kö",
    "samtal": "Kö",
}
REGISTER = [["Löneenhet Nord", ""], ["Pensionsenheten", ""], ["Löneenhet Nord", "LE Nord"]]


def manad_efter(d: date, antal: int) -> date:
    m = d.year * 12 + d.month - 1 + antal
    return date(m // 12, m % 12 + 1, 1)


def i_period(kalla: str, rader: list[dict], n: int) -> list[dict]:
    """The rows moved to a period of their own (n = 1, 2, …), so loading them touches no partition the baseline has."""
    m = date(2023, n, 1)
    ar = 2010 + n
    ut = []
    for r in rader:
        r = dict(r)
        for k in ("Månad", "Period", "Prognosmånad"):
            if k in r and isinstance(r[k], date):
                r[k] = m
        if "Datum" in r:
            r["Datum"] = date(2023, n, 15)
        if "Starttid" in r:
            r["Starttid"] = r["Starttid"].replace(year=2023, month=n)
        if kalla == "mal":
            r["År"] = ar
        if kalla == "indikatorer":
            r["Period"] = r["Period"].replace("2024", str(ar))
        ut.append(r)
    return ut


def framtid(kalla: str, rader: list[dict], idag: date) -> list[dict]:
    """Row 0 in a period after what the source allows (actuals: next month; plans and targets: the year after next)."""
    rader = [dict(r) for r in rader]
    nasta = manad_efter(idag, 1)
    r = rader[0]
    if kalla in ("volymer", "bemanning", "sjukfranvaro"):
        r["Månad"] = nasta
    elif kalla == "telefoni":
        r["Datum"] = nasta
    elif kalla == "samtal":
        r["Starttid"] = datetime(nasta.year, nasta.month, 2, 8, 0, 0)
    elif kalla == "ekonomi":
        r["Period"] = nasta  # with Utfall filled in: an actual cannot be booked ahead
    elif kalla == "prognos":
        r["Prognosmånad"] = date(idag.year + 2, 1, 1)
    elif kalla == "mal":
        r["År"] = idag.year + 2
    elif kalla == "indikatorer":
        r["Period"] = f"{nasta:%Y-%m}"
    return rader


_SPELLNINGAR = [
    "{yy}{mm}{dd}-{nr}",
    "{yy}{mm}{dd}+{nr}",
    "{yy}{mm}{dd}{nr}",
    "{yyyy}{mm}{dd}-{nr}",
    "{yyyy}{mm}{dd}{nr}",
    "{yy}{mm}{dd} - {nr}",
    "{yyyy}{mm}{dd} {nr}",
]


class Personnummer:
    """Distinct, generated personnummer and samordningsnummer in every common spelling."""

    def __init__(self, seed: int = 1):
        self._slump = random.Random(seed)
        self.alla: list[str] = []
        self._i = 0

    def nasta(self) -> str:
        s = self._slump
        ar = s.randint(1940, 1999)
        dag = s.randint(1, 28) + (60 if self._i % 3 == 2 else 0)  # every third a samordningsnummer (day + 60)
        v = {"yyyy": f"{ar}", "yy": f"{ar % 100:02d}", "mm": f"{s.randint(1, 12):02d}", "dd": f"{dag:02d}", "nr": f"{s.randint(0, 9999):04d}"}
        text = _SPELLNINGAR[self._i % len(_SPELLNINGAR)].format(**v)
        self._i += 1
        self.alla.append(text)
        return text


@dataclass
class Fall:
    """One hostile (or merely odd) delivery and what the run must do with it."""

    id: str
    kalla: str
    fil: str
    skriv: Callable[[Path], None]
    utfall: str
    text: str  # in the file's run-log message (and for a rejected file in its report)
    namn: tuple[str, str | None, str] | None = None  # expected etl_namn row (as written, loaded as, type)
    personnummer: list[str] = field(default_factory=list)


def _rubriker(kalla: str) -> list[str]:
    return list(KANON[kalla][0])


def _cell(kalla: str, rubrik: str, varde) -> str:
    if not any(k.rubrik == rubrik for k in KALLOR[kalla].kolumner):
        return "" if varde is None else str(varde)  # a column the source does not know
    return rendera(kalla, rubrik, varde, VARIANTER[0])


def _csv_text(kalla: str, rader: list[dict]) -> str:
    """Rows as a plain UTF-8 comma-separated export (values with a comma quoted)."""
    buf = io.StringIO()
    rubriker = list(rader[0])
    csv.writer(buf, lineterminator="\r\n").writerows([rubriker, *([_cell(kalla, k, r[k]) for k in rubriker] for r in rader)])
    return buf.getvalue()


def _som_csv(kalla: str, rader: list[dict]) -> Callable[[Path], None]:
    return lambda sokvag: sokvag.write_bytes(_csv_text(kalla, rader).encode("utf-8"))


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda sokvag: sokvag.write_bytes(data)


def _xlsx_bytes(kalla: str, rader: list[dict], tmp: Path) -> bytes:
    fil = skriv_variant(tmp, kalla, VARIANTER[6], rader, namn=f"{kalla}.xlsx")
    return fil.read_bytes()


def fall_for(kalla: str, tmp: Path, idag: date, pnr: Personnummer, utanfor: Path) -> list[Fall]:
    """Every case for one source; `tmp` is scratch space, `utanfor` a folder outside the raw folder."""
    rader = KANON[kalla]
    rubriker = _rubriker(kalla)
    talkol, negativ_tillaten = TAL[kalla]
    namnkol = NAMN[kalla]
    ut: list[Fall] = []

    def satt(i: int, kolumn: str, varde) -> list[dict]:
        kopia = [dict(r) for r in rader]
        kopia[i][kolumn] = varde
        return kopia

    def avvisad(id_: str, skriv, text: str, fil: str | None = None, personnummer: list[str] | None = None) -> None:
        ut.append(Fall(id_, kalla, fil or f"zz_{id_}.csv", skriv, AVVISAD, text, personnummer=personnummer or []))

    # -- files that are not a readable export at all
    xlsx = _xlsx_bytes(kalla, i_period(kalla, rader, 1), tmp / "xlsx")
    avvisad("tom", _bytes(b""), "Filen är tom")
    avvisad("bara_rubrik", _bytes((",".join(rubriker) + "\r\n").encode()), "inga datarader")
    avvisad("binar", _bytes(random.Random(kalla).randbytes(3000)), "inte text")
    avvisad("pdf", _bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), "PDF")
    avvisad("gzip", _bytes(gzip.compress(_csv_text(kalla, rader).encode())), "gzip")
    avvisad("utf16", _bytes(_csv_text(kalla, rader).encode("utf-16")), "UTF-16")
    avvisad("trasig_xlsx", _bytes(xlsx[: len(xlsx) // 2]), "skadat eller avkortat", fil="zz_trasig_xlsx.xlsx")
    avvisad("xls", _bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600), "gamla formatet (.xls)", fil="zz_xls.xls")

    # -- columns and values the rules reject
    obligatorisk = next(k.rubrik for k in KALLOR[kalla].kolumner if not k.valfri and k.rubrik in rubriker)
    avvisad("saknad_kolumn", _som_csv(kalla, [{k: v for k, v in r.items() if k != obligatorisk} for r in rader]), "Obligatoriska kolumner")
    avvisad("text_i_tal", _som_csv(kalla, satt(0, talkol, "tolv")), talkol)
    avvisad("nan", _som_csv(kalla, satt(0, talkol, "NaN")), talkol)
    avvisad("inf", _som_csv(kalla, satt(0, talkol, "inf")), talkol)
    avvisad("1e30", _som_csv(kalla, satt(0, talkol, "1e30")), talkol)
    avvisad("overflow", _som_csv(kalla, satt(0, talkol, "9223372036854775807")), talkol)
    if not negativ_tillaten:
        avvisad("negativ", _som_csv(kalla, satt(0, talkol, "-5")), "negativ")
    avvisad("framtid", _som_csv(kalla, framtid(kalla, rader, idag)), {"mal": "nästa år", "prognos": "december nästa år"}.get(kalla, "efter"))
    if kalla != "samtal":  # a call log has no natural key
        avvisad("dubblett", _som_csv(kalla, [*rader, dict(rader[0])]), "bara förekomma en gång")

    # -- a personnummer in every column, in a ragged row and in a file without its header
    for kolumn in rubriker:
        if kolumn == "Anställningsnummer":
            continue
        nr = pnr.nasta()
        id_ = "pnr_" + "".join(c if c.isalnum() else "_" for c in kolumn.casefold())
        avvisad(id_, _som_csv(kalla, satt(0, kolumn, nr)), "", personnummer=[nr])
    nr = pnr.nasta()
    ragged = _csv_text(kalla, rader).split("\r\n")
    ragged[1] = ragged[1] + "," + nr
    avvisad("pnr_extra_falt", _bytes("\r\n".join(ragged).encode()), "fält men rubrikraden har", personnummer=[nr])
    nr = pnr.nasta()
    utan_rubrik = _csv_text(kalla, satt(0, rubriker[0], nr)).split("\r\n", 1)[1]
    avvisad("pnr_utan_rubrik", _bytes(utan_rubrik.encode()), "saknar en rubrikrad", personnummer=[nr])
    # the file name itself: the delivery is fine and loads, the name is never written anywhere
    nr = pnr.nasta()
    ut.append(Fall("pnr_i_filnamn", kalla, f"zz_{nr}.csv", _som_csv(kalla, i_period(kalla, rader, 7)), INLAST, "", personnummer=[nr]))

    # -- a link out of the raw folder
    mal = utanfor / f"{kalla}_utanfor.csv"
    mal.parent.mkdir(parents=True, exist_ok=True)
    _som_csv(kalla, i_period(kalla, rader, 8))(mal)

    def lanka(sokvag: Path) -> None:
        sokvag.symlink_to(mal)

    avvisad("lank_ut", lanka, "länk som pekar utanför")

    # -- odd but valid deliveries, each in a period of its own: loaded, with a notice where one is due
    ut.append(Fall("xlsx_som_csv", kalla, "zz_xlsx_som_csv.csv", _bytes(xlsx), INLAST, "Excel-arbetsbok men heter .csv"))
    ut.append(
        Fall(
            "extra_kolumn",
            kalla,
            "zz_extra_kolumn.csv",
            _som_csv(kalla, [{**r, "Kommentar": "x"} for r in i_period(kalla, rader, 2)]),
            INLAST,
            "Kommentar",
        )
    )
    ut.append(Fall("punktnamn", kalla, "..zz_punktnamn.csv", _som_csv(kalla, i_period(kalla, rader, 3)), INLAST, "börjar med en punkt"))
    ut.append(Fall("giltig", kalla, "b_giltig.csv", _som_csv(kalla, i_period(kalla, rader, 4)), INLAST, ""))
    i = next((j for j, r in enumerate(rader) if r.get(namnkol)), None)
    if i is not None:
        kanonisk = rader[i][namnkol]
        skev = kanonisk.upper().replace(" ", "  ", 1) + "\u200b"  # case, a double space and a zero-width space
        skevt = [dict(r) for r in i_period(kalla, rader, 5)]
        skevt[i][namnkol] = skev
        visat = kanonisk.upper().replace(" ", "␣␣", 1) + "[U+200B]"
        ut.append(Fall("namnvariant", kalla, "zz_namnvariant.csv", _som_csv(kalla, skevt), INLAST, "", namn=(visat, kanonisk, "variant")))
        if kalla not in ("telefoni", "samtal"):
            aliaset = [dict(r) for r in i_period(kalla, rader, 6)]
            aliaset[i][namnkol] = "LE Nord" if kanonisk == "Löneenhet Nord" else kanonisk.lower()
            typ = "alias" if kanonisk == "Löneenhet Nord" else "variant"
            ut.append(Fall("alias", kalla, "zz_alias.csv", _som_csv(kalla, aliaset), INLAST, "", namn=(aliaset[i][namnkol], kanonisk, typ)))
            okand = [dict(r) for r in i_period(kalla, rader, 9)]
            okand[i][namnkol] = "Löneenhet Väst"
            ut.append(
                Fall(
                    "okand_enhet", kalla, "zz_okand_enhet.csv", _som_csv(kalla, okand), INLAST, "okända namn", namn=("Löneenhet Väst", None, "okand")
                )
            )
    return ut


def personfil(pnr: Personnummer) -> Fall:
    """A person-level sick-leave file whose Anställningsnummer are personnummer: aggregated, loaded, never written."""
    nummer = [pnr.nasta() for _ in range(3)]
    rubriker = ["Anställningsnummer", "Månad", "Enhet", "Ordinarie arbetstid", "Sjukfrånvaro dag 1-14", "Sjukfrånvaro dag 15-"]

    def skriv(sokvag: Path) -> None:
        skriv_csv(sokvag, rubriker, [[n, "2023-10", "Löneenhet Nord", "160", "8", "0"] for n in nummer], "utf-8", ";")

    return Fall("personkolumn", "sjukfranvaro", "zz_personkolumn.csv", skriv, INLAST, "", personnummer=nummer)
