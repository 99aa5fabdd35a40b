"""The simulated service centre: staffing, volumes, sick leave, economy, forecasts, targets and telephony."""

# Every figure is drawn from a generator seeded by (seed, topic, month), so a month's data does not depend
# on which other months are generated. Tables use internal column names; sample.export adds Swedish headers.
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

from sample.kalender import months, parse_month, pay_day, working_days
from sample.parametrar import Params, forvaltning_names, queue_names, unit_names

# Seasonal shapes, January first. Payslips rise with summer temps; sick leave peaks in winter.
LONESPEC_SASONG = np.array([1.00, 0.97, 0.99, 0.98, 1.00, 1.06, 1.08, 1.04, 0.98, 0.97, 0.97, 1.00])
PENSION_SASONG = np.array([1.05, 1.05, 1.20, 1.15, 1.10, 0.95, 0.60, 0.80, 1.05, 1.05, 1.00, 0.95])
SJUK_KORT_SASONG = np.array([1.40, 1.45, 1.25, 1.00, 0.85, 0.70, 0.45, 0.65, 0.95, 1.05, 1.15, 1.25])
SJUK_LANG_START_SASONG = np.array([1.3, 1.3, 1.2, 1.0, 0.9, 0.7, 0.6, 0.8, 1.0, 1.0, 1.1, 1.1])
# Long-term sick leave is mostly part-time: share of ordinary hours and how often each occurs.
LANG_ANDEL, LANG_P = [0.25, 0.5, 0.75, 1.0], [0.3, 0.35, 0.15, 0.2]
SAMTAL_MANAD = np.array([1.15, 1.05, 1.05, 1.0, 1.0, 1.0, 0.55, 0.85, 1.05, 1.0, 1.0, 0.9])

LONESPEC_PER_FTE = 1130.0  # per budgeted FTE; with usual vacancies ≈ 1 170 per working FTE (DESIGN.md §2)
PENSIONSARENDEN_PER_FTE_MANAD = 62.0  # ≈ 750 cases per pension officer and year
MANADSKOSTNAD_PER_FTE = 54_500.0  # salary + social fees, kr per FTE-month (2023 level)

KATEGORI_MASKINELL = "Lönespecifikation maskinell"
KATEGORI_MANUELL = "Lönespecifikation manuell"
INTAKTSGRUPP = "Försäljning av tjänster"
# Kontogrupp → (konto, share) in the municipal chart of accounts: 3xxx revenue, 4xxx–7xxx costs.
KONTON: dict[str, list[tuple[str, float]]] = {
    INTAKTSGRUPP: [("3510", 1.0)],
    "Personalkostnader": [("5110", 0.76), ("5610", 0.24)],
    "Lokalkostnader": [("6110", 1.0)],
    "IT och telefoni": [("6540", 0.8), ("6420", 0.2)],
    "Övriga kostnader": [("4610", 0.35), ("7690", 0.65)],
}

INTERVALL_MINUTER = 15
DAG_START_MINUT = 8 * 60
INTERVALL_PER_DAG = 34  # 08:00–16:30
# Morning peak, lunch dip, quiet late afternoon.
INTERVALL_PROFIL = np.array(
    [
        1.3,
        1.6,
        1.7,
        1.7,
        1.6,
        1.5,
        1.5,
        1.4,
        1.3,
        1.2,
        1.1,
        1.0,
        0.8,
        0.7,
        0.7,
        0.8,
        0.9,
        1.0,
        1.0,
        1.0,
        0.95,
        0.9,
        0.9,
        0.85,
        0.8,
        0.8,
        0.75,
        0.7,
        0.65,
        0.6,
        0.55,
        0.5,
        0.45,
        0.4,
    ]
)


def _key(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


@dataclass
class Enhet:
    """One unit: its name, kind and role plan (role, base FTE, whether the FTE drifts)."""

    namn: str
    typ: str
    roller: list[tuple[str, float, bool]] = field(default_factory=list)


@dataclass
class Ko:
    """A telephony queue: name, share of calls, mean talk and wrap-up seconds."""

    namn: str
    andel: float
    samtalstid: float
    efterarbete: float


class Verksamhet:
    """The simulated organisation for one parameter set and seed."""

    def __init__(self, params: Params, seed: int):
        self.params, self.seed = params, seed
        self.first, self.last = parse_month(params.start), parse_month(params.end)
        self.months = months(self.first, self.last)
        # The economy is simulated for whole years so forecasts can drift towards the full-year outcome.
        self.model_months = months(date(self.first.year, 1, 1), date(self.last.year, 12, 1))
        n_log = len(self.months) if params.samtal_manader is None else min(params.samtal_manader, len(self.months))
        self.samtal_months = self.months[len(self.months) - n_log :]

        rng = self.rng("struktur")
        self.enheter = []
        for namn, typ in unit_names(params.units):
            if typ == "lon":
                base = round(28.9 * rng.uniform(0.92, 1.08) * 20) / 20
                roller = [
                    ("Enhetschef", 1.0, False),
                    ("Löneadministratör", base, True),
                    ("Verksamhetsutvecklare", 1.0, False),
                    ("Assistent", 0.7, False),
                ]
                if not self.enheter:
                    roller.insert(0, ("Verksamhetschef", 1.0, False))
            else:
                roller = [("Enhetschef", 1.0, False), ("Pensionshandläggare", 5.25, True), ("Assistent", 0.7, False)]
            self.enheter.append(Enhet(namn, typ, roller))
        self.forvaltningar = forvaltning_names(params.forvaltningar)
        self.forv_vikt = rng.lognormal(0.0, 0.6, len(self.forvaltningar))
        lon = [i for i, e in enumerate(self.enheter) if e.typ == "lon"]
        pension = [i for i, e in enumerate(self.enheter) if e.typ == "pension"]
        # Each administration is served by one payroll unit and one pension unit.
        self.forv_lon = {i: lon[i % len(lon)] for i in range(len(self.forvaltningar))} if lon else {}
        self.forv_pension = {i: pension[i % len(pension)] for i in range(len(self.forvaltningar))} if pension else {}

        koer = []
        for i, namn in enumerate(queue_names(params.queues)):
            andel = [0.68, 0.18, 0.14][i] if params.queues == 3 else float(rng.uniform(0.5, 1.5))
            samtalstid = [230.0, 330.0, 380.0][i] if i < 3 else float(rng.uniform(180, 420))
            efterarbete = [50.0, 80.0, 90.0][i] if i < 3 else float(rng.uniform(30, 100))
            koer.append(Ko(namn, andel, samtalstid, efterarbete))
        total = sum(k.andel for k in koer)
        for k in koer:
            k.andel /= total
        self.koer = koer
        self._samtal_skala = self._calibrate_calls()

    def rng(self, topic: str, month: date | None = None) -> np.random.Generator:
        """A generator for one topic (and month), independent of every other."""
        parts = [self.seed, _key(topic)] + ([month.year, month.month] if month else [])
        return np.random.default_rng(np.random.SeedSequence(parts))

    # ---------------------------------------------------------------- staffing
    def bemanning(self) -> pl.DataFrame:
        """Månad × enhet × roll: FTE and head count, with vacancies drifting month to month."""
        rows = []
        vakans = {(u, r): (0.5 if drift else 0.0) for u, e in enumerate(self.enheter) for r, _, drift in e.roller}
        for m in self.model_months:
            rng = self.rng("bemanning", m)
            for u, e in enumerate(self.enheter):
                for roll, bas, drift in e.roller:
                    if drift:
                        top = 3.5 if e.typ == "lon" else 1.0
                        if rng.random() < (0.3 if e.typ == "lon" else 0.12):
                            step = rng.choice([-1.0, -0.5, 0.5, 1.0]) if e.typ == "lon" else rng.choice([-0.5, 0.5])
                            vakans[u, roll] = float(np.clip(vakans[u, roll] + step, 0.0, top))
                        fte = round(bas - vakans[u, roll], 2)
                        # never fewer people than FTE (the ETL rejects Årsarbetare > Anställda), e.g. 4.25 FTE ≠ 4 people
                        anstallda = max(1, round(fte / (0.925 if e.typ == "lon" else 0.95)), math.ceil(fte))
                    else:
                        fte, anstallda = bas, 1
                    rows.append((m, e.namn, roll, fte, anstallda))
        return pl.DataFrame(rows, schema=["manad", "enhet", "roll", "arsarbetare", "anstallda"], orient="row")

    # ---------------------------------------------------------------- volumes
    def _maskinell_andel(self, m: date) -> float:
        years = (m.year - self.first.year) + (m.month - 1) / 12
        return min(0.9, 0.70 + 0.022 * years)

    def _expected_activity(self, e: Enhet, m: date) -> float:
        bas = next(b for _, b, drift in e.roller if drift)
        if e.typ == "lon":
            return bas * LONESPEC_PER_FTE * LONESPEC_SASONG[m.month - 1] * 1.01 ** (m.year - self.first.year)
        return bas * PENSIONSARENDEN_PER_FTE_MANAD * PENSION_SASONG[m.month - 1]

    def volymer(self) -> pl.DataFrame:
        """Månad × enhet × förvaltning × kategori counts (zeros left out, as exports do)."""
        rows = []
        for m in self.model_months:
            rng = self.rng("volymer", m)
            for u, e in enumerate(self.enheter):
                expected = self._expected_activity(e, m)
                if e.typ == "lon":
                    forv = [f for f, uu in self.forv_lon.items() if uu == u]
                    total = int(round(expected * rng.normal(1.0, 0.02)))
                else:
                    forv = [f for f, uu in self.forv_pension.items() if uu == u]
                    total = int(rng.poisson(expected))
                if not forv:
                    continue
                w = self.forv_vikt[forv] / self.forv_vikt[forv].sum()
                per_forv = rng.multinomial(total, w)
                share = self._maskinell_andel(m) + rng.normal(0, 0.006)
                for f, n in zip(forv, per_forv):
                    if e.typ == "lon":
                        mask = int(rng.binomial(n, share))
                        counts = {
                            KATEGORI_MASKINELL: mask,
                            KATEGORI_MANUELL: int(n) - mask,
                            "Anställningsunderlag": int(rng.poisson(n * 0.15)),
                            "Akut utbetalning": int(rng.poisson(n * 0.002)),
                        }
                    else:
                        pension = int(rng.binomial(n, 0.78))
                        counts = {"Pensionsärende": pension, "Försäkringsärende": int(n) - pension}
                    rows += [(m, e.namn, self.forvaltningar[f], k, v) for k, v in counts.items() if v > 0]
        return pl.DataFrame(rows, schema=["manad", "enhet", "forvaltning", "kategori", "antal"], orient="row")

    # ---------------------------------------------------------------- sick leave
    def sjukfranvaro_person(self, bemanning: pl.DataFrame) -> pl.DataFrame:
        """One row per person and month: ordinary hours and sick hours day 1–14 / day 15–."""
        headcount = bemanning.group_by("manad", "enhet").agg(pl.col("anstallda").sum())
        head = {(r[0], r[1]): r[2] for r in headcount.iter_rows()}
        rng = self.rng("personal")
        roster = []
        for e in self.enheter:
            size = max(head[m, e.namn] for m in self.model_months) + 3
            grade = rng.choice([1.0, 0.75, 0.8, 0.9], size=size, p=[0.8, 0.06, 0.07, 0.07])
            roster.append((e.namn, grade))
        ids = rng.choice(np.arange(100_000, 1_000_000), size=sum(len(g) for _, g in roster), replace=False)
        frames, offset = [], 0
        for namn, grade in roster:
            nr = ids[offset : offset + len(grade)]
            offset += len(grade)
            # Share of hours on long sick leave (0 = not long-term sick), started in its steady state.
            lang = np.where(rng.random(len(grade)) < 0.07, rng.choice(LANG_ANDEL, len(grade), p=LANG_P), 0.0)
            for m in self.model_months:
                rng_m = self.rng(f"sjuk {namn}", m)
                wd = len(working_days(m))
                active = head[m, namn]
                ordinarie = grade * wd * 8.0
                ends = (lang > 0) & (rng_m.random(len(grade)) < 0.3)
                lang[ends] = 0.0
                starts = (lang == 0) & (rng_m.random(len(grade)) < 0.0226 * SJUK_LANG_START_SASONG[m.month - 1])
                lang[starts] = rng_m.choice(LANG_ANDEL, size=int(starts.sum()), p=LANG_P)
                short_days = rng_m.binomial(wd, 0.019 * SJUK_KORT_SASONG[m.month - 1], len(grade))
                kort = np.where(lang == 0, short_days * 8.0 * grade, 0.0)
                # A spell starting this month puts its first two weeks in day 1–14.
                start_part = np.where(starts, np.minimum(10, wd) * 8.0 * grade * lang, 0.0)
                dag15 = np.where(lang > 0, ordinarie * lang - start_part, 0.0)
                frames.append(
                    pl.DataFrame(
                        {
                            "anstallningsnummer": nr[:active].astype(str),
                            "manad": [m] * active,
                            "enhet": [namn] * active,
                            "ordinarie_h": np.round(ordinarie[:active], 2),
                            "sjuk_dag1_14_h": np.round(kort[:active] + start_part[:active], 2),
                            "sjuk_dag15_h": np.round(dag15[:active], 2),
                        }
                    )
                )
        return pl.concat(frames).sort("manad", "enhet", "anstallningsnummer")

    @staticmethod
    def sjukfranvaro_enhet(person: pl.DataFrame) -> pl.DataFrame:
        """Person rows summed to månad × enhet, as the HR system's unit report shows them."""
        return (
            person.group_by("manad", "enhet", maintain_order=True)
            .agg(
                pl.len().alias("anstallda"),
                pl.col("ordinarie_h").sum().round(1),
                (pl.col("sjuk_dag1_14_h").sum() * 10).floor() / 10,  # floor keeps sick ≤ ordinary after rounding
                (pl.col("sjuk_dag15_h").sum() * 10).floor() / 10,
            )
            .sort("manad", "enhet")
        )

    # ---------------------------------------------------------------- economy
    def ekonomi(self, bemanning: pl.DataFrame, volymer: pl.DataFrame) -> pl.DataFrame:
        """Månad × ansvar × kontogrupp × konto: budget and outcome in kr, both positive, with typ."""
        fte = {(r[0], r[1]): r[2] for r in bemanning.group_by("manad", "enhet").agg(pl.col("arsarbetare").sum()).iter_rows()}
        activity_kinds = [KATEGORI_MASKINELL, KATEGORI_MANUELL, "Pensionsärende", "Försäkringsärende"]
        act = volymer.filter(pl.col("kategori").is_in(activity_kinds)).group_by("manad", "enhet").agg(pl.col("antal").sum())
        activity = {(r[0], r[1]): r[2] for r in act.iter_rows()}
        rows = []
        for e in self.enheter:
            # Head count implied by the role plan: one per fixed role, FTE ÷ 0.925 for the drifting role.
            anst = sum(bas / 0.925 if drift else 1 for _, bas, drift in e.roller)
            for year in sorted({m.year for m in self.model_months}):
                ym = [m for m in self.model_months if m.year == year]
                lon_index = 1.035 ** (year - self.first.year)
                ovr_index = 1.02 ** (year - self.first.year)
                # The staffing plan behind the budget is close to the year's actual staffing.
                planned_fte = np.mean([fte[m, e.namn] for m in ym]) * self.rng(f"budget {e.namn}", ym[0]).normal(1.0, 0.01)
                budget = {
                    "Personalkostnader": planned_fte * MANADSKOSTNAD_PER_FTE * lon_index,
                    "Lokalkostnader": anst * 4_400 * ovr_index,
                    "IT och telefoni": anst * 5_300 * ovr_index,
                    "Övriga kostnader": anst * 1_900 * ovr_index,
                }
                # Revenue-financed at cost price: the price is set so budgeted revenue covers budgeted costs.
                budget[INTAKTSGRUPP] = sum(budget.values()) * 1.004
                price = budget[INTAKTSGRUPP] * 12 / sum(self._expected_activity(e, m) for m in ym)
                for m in ym:
                    rng = self.rng(f"ekonomi {e.namn}", m)
                    utfall = {
                        INTAKTSGRUPP: price * activity.get((m, e.namn), 0),
                        "Personalkostnader": fte[m, e.namn] * MANADSKOSTNAD_PER_FTE * lon_index * rng.normal(1.0, 0.015),
                        "Lokalkostnader": budget["Lokalkostnader"] * rng.normal(1.0, 0.004),
                        "IT och telefoni": budget["IT och telefoni"] * rng.normal(1.0, 0.07),
                        "Övriga kostnader": budget["Övriga kostnader"] * rng.gamma(3.0, 1 / 3),
                    }
                    for grupp, konton in KONTON.items():
                        typ = "intakt" if grupp == INTAKTSGRUPP else "kostnad"
                        for konto, share in konton:
                            rows.append((m, e.namn, grupp, konto, typ, round(budget[grupp] * share, -2), round(utfall[grupp] * share, 2)))
        return pl.DataFrame(rows, schema=["manad", "ansvar", "kontogrupp", "konto", "typ", "budget", "utfall"], orient="row")

    def prognos(self, ekonomi: pl.DataFrame) -> pl.DataFrame:
        """Prognosmånad × ansvar × kontogrupp full-year forecasts that drift from budget towards the outcome."""
        grp = ekonomi.group_by("manad", "ansvar", "kontogrupp", "typ").agg(pl.col("budget").sum(), pl.col("utfall").sum())
        rows = []
        for pm in self.months:
            if pm.month in (1, 7):  # no forecast in January or during the July holidays
                continue
            rng = self.rng("prognos", pm)
            year = grp.filter(pl.col("manad").dt.year() == pm.year)
            parts = (
                year.with_columns((pl.col("manad") <= pm).alias("passerad"))
                .group_by("ansvar", "kontogrupp", "typ", "passerad")
                .agg(pl.col("budget").sum(), pl.col("utfall").sum())
            )
            d = {(r["ansvar"], r["kontogrupp"], r["passerad"]): r for r in parts.iter_rows(named=True)}
            w = pm.month / 12
            for e in self.enheter:
                for grupp in KONTON:
                    done, rest = d.get((e.namn, grupp, True)), d.get((e.namn, grupp, False))
                    value = done["utfall"]
                    if rest is not None:
                        value += rest["budget"] + (rest["utfall"] - rest["budget"]) * w
                        value += rng.normal(0, 0.015) * rest["budget"]
                    typ = "intakt" if grupp == INTAKTSGRUPP else "kostnad"
                    rows.append((pm, e.namn, grupp, typ, round(value, -3)))
        return pl.DataFrame(rows, schema=["prognosmanad", "ansvar", "kontogrupp", "typ", "helarsprognos"], orient="row")

    # ---------------------------------------------------------------- targets and manual indicators
    def _years(self) -> list[int]:
        return sorted({m.year for m in self.months})

    def mal(self) -> pl.DataFrame:
        """Yearly targets for every indicator id, a few KF:s årsmål and one unit-specific target."""

        def steg(values: list[float]) -> list[float]:
            return [values[min(i, len(values) - 1)] for i in range(len(self._years()))]

        plan = {
            "loner_per_arsarbetare": (steg([1100, 1150]), None),
            "lonespec_per_arsarbetare": (steg([1100, 1150]), None),
            "andel_maskinell": (steg([72, 74, 76, 78, 80]), None),
            "pensionsarenden_per_handlaggare": (steg([700, 750, 800]), None),
            "kostnad_per_lonespec": (steg([75, 75, 76, 77, 78]), None),
            "svarsfrekvens": (steg([93]), None),
            "servicegrad": (steg([85]), 80),
            "servicegrad_samtal": (steg([85]), None),
            "andel_avbrutna": (steg([6, 5]), None),
            "medel_vantetid": (steg([30]), None),
            "medel_hanteringstid": (steg([330]), None),
            "sjukfranvaro": (steg([6.5]), 6.0),
            "sjukfranvaro_kort": (steg([2.2]), None),
            "sjukfranvaro_lang": (steg([4.3]), None),
            "sjukfranvaro_12m": (steg([6.5]), None),
            "resultat": (steg([0]), None),
            "budgetavvikelse": (steg([0]), None),
            "prognosavvikelse": (steg([0]), None),
            "nki": (steg([67]), 67),
            "andel_nojda_kunder": (steg([90]), None),
            "ami": (steg([84]), None),
            "forsta_kontakt_losning": (steg([80, 85, 85, 90]), None),
            # manual indicators of the goal hierarchy (sample/malstruktur.py): the 2024 plan's targets
            "feriejobb": (steg([4]), None),
            "stockholmsjobb": (steg([2]), None),
            "praktikplatser": (steg([6]), None),
            "utbildningstillfallen": (steg([6, 8]), None),
        }
        rows = []
        for indikator, (targets, kf) in plan.items():
            for year, target in zip(self._years(), targets):
                rows.append((indikator, year, float(target), None if kf is None else float(kf), None))
        first_lon = next((e.namn for e in self.enheter if e.typ == "lon"), None)
        if first_lon:
            rows += [("sjukfranvaro", year, 6.0, None, first_lon) for year in self._years()[-2:]]
        return pl.DataFrame(
            rows, schema={"indikator": pl.String, "ar": pl.Int64, "arsmal": pl.Float64, "kf_arsmal": pl.Float64, "enhet": pl.String}, orient="row"
        )

    def indikatorer(self) -> pl.DataFrame:
        """Yearly survey results (in years whose autumn survey is covered) and first-contact resolution per tertial."""
        rows = []
        for year in self._years():
            rng = self.rng("indikatorer", date(year, 1, 1))
            if date(year, 10, 1) <= self.last:
                rows.append(("nki", str(year), round(float(rng.uniform(67, 72)), 0)))
                rows.append(("andel_nojda_kunder", str(year), round(float(rng.uniform(84, 92)), 1)))
                rows.append(("ami", str(year), round(float(rng.uniform(84, 86.5)), 0)))
            for t in (1, 2, 3):
                if date(year, 4 * t, 1) <= self.last and date(year, 4 * t - 3, 1) >= date(self.first.year, self.first.month, 1):
                    rows.append(("forsta_kontakt_losning", f"{year}-T{t}", round(float(rng.uniform(82, 93)), 1)))
        rows += self._malindikatorer()
        return pl.DataFrame(rows, schema=["indikator", "period", "utfall"], orient="row").with_columns(pl.lit(None, pl.String).alias("enhet"))

    def _malindikatorer(self) -> list[tuple[str, str, float]]:
        """The goal hierarchy's manual indicators: jobs offered (year to date, per tertial) and trainings held per year."""
        rows = []
        for year in self._years():
            rng = self.rng("malindikatorer", date(year, 1, 1))
            ferie = [int(rng.integers(2, 5)), int(rng.integers(4, 7))]
            stockholm = [int(rng.integers(1, 3)), int(rng.integers(1, 4))]
            praktik = [int(rng.integers(3, 7)), int(rng.integers(4, 9))]
            for t in (1, 2, 3):
                if date(year, 4 * t, 1) <= self.last and date(year, 4 * t - 3, 1) >= date(self.first.year, self.first.month, 1):
                    i = min(t - 1, 1)  # summer jobs are settled by August; the count stands for the rest of the year
                    rows += [
                        ("feriejobb", f"{year}-T{t}", float(ferie[i])),
                        ("stockholmsjobb", f"{year}-T{t}", float(stockholm[i])),
                        ("praktikplatser", f"{year}-T{t}", float(praktik[i])),
                    ]
            if date(year, 10, 1) <= self.last:
                rows.append(("utbildningstillfallen", str(year), float(rng.integers(6, 11))))
        return rows

    # ---------------------------------------------------------------- telephony
    def _day_factors(self, m: date) -> np.ndarray:
        days = working_days(m)
        pay = pay_day(m)
        f = np.ones(len(days))
        for i, d in enumerate(days):
            f[i] *= {0: 1.15, 4: 0.85}.get(d.weekday(), 1.0)
            if d == pay:
                f[i] *= 1.8  # pay-day peak: "where is my salary?"
            elif i > 0 and days[i - 1] == pay:
                f[i] *= 1.3
        return f * SAMTAL_MANAD[m.month - 1]

    def _calibrate_calls(self) -> float:
        expected = sum(self._day_factors(m).sum() * INTERVALL_PROFIL.sum() for m in self.samtal_months)
        return self.params.samtal_rader / expected if expected else 0.0

    def telefoni_manad(self, m: date) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """One month: the interval report (every weekday interval × queue) and the calls behind it."""
        rng = self.rng("telefoni", m)
        days = np.array(working_days(m), dtype="datetime64[D]")
        n_d, n_i, n_q = len(days), INTERVALL_PER_DAG, len(self.koer)
        andel = np.array([k.andel for k in self.koer])
        lam = self._samtal_skala * self._day_factors(m)[:, None, None] * INTERVALL_PROFIL[None, :, None] * andel[None, None, :]
        load = lam / lam.mean(axis=(0, 1), keepdims=True)  # busy intervals answer less well
        kvalitet = rng.uniform(0.80, 0.94, n_q)
        sl = np.clip(kvalitet[None, None, :] - 0.10 * (load - 1.0), 0.35, 0.98)
        p_avbruten = np.clip(0.015 + 0.30 * (1.0 - sl), 0.01, 0.4)
        p_inom = np.clip(sl / (1.0 - p_avbruten), 0.0, 0.995)
        n = rng.poisson(lam).ravel()
        cell = np.repeat(np.arange(n.size), n)
        total = cell.size
        q_of_cell = np.tile(np.arange(n_q), n_d * n_i)
        q = q_of_cell[cell]
        avbruten = rng.random(total) < p_avbruten.ravel()[cell]
        inom = ~avbruten & (rng.random(total) < p_inom.ravel()[cell])
        vantan = np.where(
            inom,
            rng.integers(0, 26, total),
            np.where(avbruten, 1 + rng.exponential(40.0, total), 26 + rng.exponential(75.0, total)),
        )
        vantan = np.minimum(vantan, 1800).astype(np.int64)
        talk_mean = np.array([k.samtalstid for k in self.koer])[q]
        wrap_mean = np.array([k.efterarbete for k in self.koer])[q]
        samtalstid = np.where(avbruten, 0, np.clip(rng.gamma(2.0, talk_mean / 2.0), 15, 3000)).astype(np.int64)
        efterarbete = np.where(avbruten, 0, np.clip(rng.gamma(2.0, wrap_mean / 2.0), 0, 1800)).astype(np.int64)
        besvarad = ~avbruten

        size = n.size
        interval = {
            "cell": np.arange(size),
            "inkommande": n.astype(np.int64),
            "besvarade": np.bincount(cell, besvarad, size).astype(np.int64),
            "besvarade_inom_25s": np.bincount(cell, inom, size).astype(np.int64),
            "avbrutna": np.bincount(cell, avbruten, size).astype(np.int64),
            "avbrutna_inom_5s": np.bincount(cell, avbruten & (vantan < 5), size).astype(np.int64),
            "total_vantetid": np.bincount(cell, np.where(besvarad, vantan, 0), size).astype(np.int64),
            "langsta_vantetid": np.zeros(size, np.int64),
            "total_samtalstid": np.bincount(cell, samtalstid, size).astype(np.int64),
            "total_efterarbetstid": np.bincount(cell, efterarbete, size).astype(np.int64),
        }
        np.maximum.at(interval["langsta_vantetid"], cell, vantan)
        day_idx, int_idx = np.divmod(np.arange(size) // n_q, n_i)
        interval["datum"] = days[day_idx]
        interval["intervall"] = int_idx
        interval["ko"] = q_of_cell

        offset_s = rng.integers(0, INTERVALL_MINUTER * 60, total)
        start = days[day_idx[cell]].astype("datetime64[s]") + ((DAG_START_MINUT + int_idx[cell] * INTERVALL_MINUTER) * 60 + offset_s).astype(
            "timedelta64[s]"
        )
        order = np.lexsort((q, start))
        calls = {
            "starttid": start[order].astype("datetime64[us]"),
            "ko": q[order],
            "vantetid": vantan[order],
            "samtalstid": samtalstid[order],
            "efterarbete": efterarbete[order],
            "besvarad": besvarad[order],
        }
        return interval, calls

    def intervall_text(self) -> list[str]:
        """'08:00-08:15' … '16:15-16:30'."""

        def hhmm(minute: int) -> str:
            return f"{minute // 60:02d}:{minute % 60:02d}"

        return [
            f"{hhmm(DAG_START_MINUT + i * INTERVALL_MINUTER)}-{hhmm(DAG_START_MINUT + (i + 1) * INTERVALL_MINUTER)}" for i in range(INTERVALL_PER_DAG)
        ]
