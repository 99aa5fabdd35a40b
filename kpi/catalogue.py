"""The KPI catalogue: every indicator declared once, looked up by id."""

from __future__ import annotations

from dataclasses import dataclass, field

# Sections (pages) in display order.
AVSNITT = ("Produktivitet", "Telefoni", "Sjukfrånvaro", "Ekonomi", "Kund och medarbetare")
MATT = ("%", "kr", "s", "st", "index")
PERIODICITET = ("månad", "tertial", "år")


@dataclass(frozen=True)
class Indicator:
    """One indicator: metadata for people plus the aggregate columns of its formula family (kpi/formler.py)."""

    id: str
    namn: str
    matt: str  # '%', 'kr', 's', 'st', 'index'
    hogre_ar_battre: bool
    periodicitet: str  # 'månad' | 'tertial' | 'år'
    definition: str  # one Swedish line shown to users
    avsnitt: str
    familj: str  # formula family in kpi/formler.py: which SQL computes the sums
    taljare: str  # aggregate column of the family (Σ over the period)
    namnare: str | None = None  # aggregate column; None = the value is the numerator itself
    faktor: float = 1.0  # 100 for percentages, 12 to annualise per-month ratios
    decimaler: int = 0
    tolerans: float = 0.05  # share of the target a value may miss by and still be "Uppfylls delvis"
    tabeller: tuple[str, ...] = ()
    dimensioner: tuple[str, ...] = ()  # filters/groupings that apply: 'enhet', 'ko', 'forvaltning', 'veckodag_timme'
    fonster_manader: int | None = None  # rolling window ending with the period's last month (None = the period itself)
    minsta_antal_anstallda: int | None = None  # suppress values for smaller groups (privacy)
    saknas_taljare: str = "Ingen data för perioden"
    saknas_namnare: str = "Ingen data för perioden"
    anmarkning: str | None = None  # always-shown note (e.g. shared telephone queues)
    extra_fran_data: bool = field(default=False, compare=False)  # manual indicator found only in the data

    def __post_init__(self):
        if self.matt not in MATT:
            raise ValueError(f"{self.id}: okänt mått {self.matt}")
        if self.periodicitet not in PERIODICITET:
            raise ValueError(f"{self.id}: okänd periodicitet {self.periodicitet}")
        if self.avsnitt not in AVSNITT:
            raise ValueError(f"{self.id}: okänt avsnitt {self.avsnitt}")

    @property
    def riktning(self) -> str:
        """'hogre' or 'lagre' (which way is better)."""
        return "hogre" if self.hogre_ar_battre else "lagre"

    @property
    def har_enhetsdimension(self) -> bool:
        """True when the unit filter applies to this indicator."""
        return "enhet" in self.dimensioner


_UTAN_BEMANNING = "Inga årsarbetare löneadministratör för perioden"
_GEMENSAM_KO = "Telefonköerna är gemensamma för hela verksamheten"

_INDICATORS = [
    # --- Produktivitet -----------------------------------------------------------------
    Indicator(
        "loner_per_arsarbetare",
        "Löner per årsarbetare och månad",
        "st",
        True,
        "tertial",
        "Lönespecifikationer (maskinella + manuella) ÷ årsarbetare löneadministratör, per månad",
        "Produktivitet",
        "produktivitet",
        "lonespec",
        "fte_manader_loneadm",
        tabeller=("volymer", "bemanning"),
        dimensioner=("enhet",),
        saknas_namnare=_UTAN_BEMANNING,
        saknas_taljare="Inga lönespecifikationer för perioden",
    ),
    Indicator(
        "lonespec_per_arsarbetare",
        "Lönespecifikationer per årsarbetare (lön och pension)",
        "st",
        True,
        "tertial",
        "Lönespecifikationer ÷ årsarbetare löneadministratör + pensionshandläggare, per månad",
        "Produktivitet",
        "produktivitet",
        "lonespec",
        "fte_manader_lon_pension",
        tabeller=("volymer", "bemanning"),
        dimensioner=("enhet",),
        saknas_namnare="Inga årsarbetare löneadministratör eller pensionshandläggare för perioden",
        saknas_taljare="Inga lönespecifikationer för perioden",
    ),
    Indicator(
        "andel_maskinell",
        "Andel maskinell rapportering",
        "%",
        True,
        "tertial",
        "Maskinellt rapporterade lönespecifikationer ÷ alla lönespecifikationer",
        "Produktivitet",
        "volymer",
        "maskinell",
        "lonespec",
        faktor=100,
        decimaler=1,
        tabeller=("volymer",),
        dimensioner=("enhet", "forvaltning"),
        saknas_namnare="Inga lönespecifikationer för perioden",
    ),
    Indicator(
        "pensionsarenden_per_handlaggare",
        "Pensionsärenden per pensionshandläggare och år",
        "st",
        True,
        "tertial",
        "Pensions- och försäkringsärenden ÷ årsarbetare pensionshandläggare, uppräknat till helår",
        "Produktivitet",
        "produktivitet",
        "pensionsarenden",
        "fte_manader_pension",
        faktor=12,
        tabeller=("volymer", "bemanning"),
        dimensioner=("enhet",),
        saknas_namnare="Ingen bemanning av pensionshandläggare för perioden",
        saknas_taljare="Inga pensionsärenden för perioden",
    ),
    Indicator(
        "kostnad_per_lonespec",
        "Kostnad per administrerad lön",
        "kr",
        False,
        "tertial",
        "Kostnader (utfall) ÷ lönespecifikationer",
        "Produktivitet",
        "produktivitet",
        "kostnader",
        "lonespec",
        decimaler=1,
        tabeller=("ekonomi", "volymer"),
        dimensioner=("enhet",),
        saknas_taljare="Inget ekonomiskt utfall för perioden",
        saknas_namnare="Inga lönespecifikationer för perioden",
    ),
    Indicator(
        "antal_lonespec",
        "Antal lönespecifikationer",
        "st",
        True,
        "månad",
        "Lönespecifikationer (maskinella + manuella) under perioden",
        "Produktivitet",
        "volymer",
        "lonespec",
        tabeller=("volymer",),
        dimensioner=("enhet", "forvaltning"),
    ),
    Indicator(
        "antal_pensionsarenden",
        "Antal pensions- och försäkringsärenden",
        "st",
        True,
        "månad",
        "Pensions- och försäkringsärenden under perioden",
        "Produktivitet",
        "volymer",
        "pensionsarenden",
        tabeller=("volymer",),
        dimensioner=("enhet", "forvaltning"),
    ),
    # --- Telefoni ------------------------------------------------------------------------
    Indicator(
        "servicegrad",
        "Servicegrad (besvarade inom 25 s)",
        "%",
        True,
        "månad",
        "Samtal besvarade inom 25 s ÷ inkommande samtal",
        "Telefoni",
        "telefoni",
        "inom_troskel",
        "servicegrad_namnare",
        faktor=100,
        decimaler=1,
        tabeller=("telefoni",),
        dimensioner=("ko", "veckodag_timme"),
        anmarkning=_GEMENSAM_KO,
    ),
    Indicator(
        "svarsfrekvens",
        "Svarsfrekvens",
        "%",
        True,
        "månad",
        "Besvarade samtal ÷ inkommande samtal",
        "Telefoni",
        "telefoni",
        "besvarade",
        "inkommande",
        faktor=100,
        decimaler=1,
        tabeller=("telefoni",),
        dimensioner=("ko", "veckodag_timme"),
        anmarkning=_GEMENSAM_KO,
    ),
    Indicator(
        "andel_avbrutna",
        "Andel avbrutna samtal",
        "%",
        False,
        "månad",
        "Avbrutna samtal ÷ inkommande samtal",
        "Telefoni",
        "telefoni",
        "avbrutna",
        "inkommande",
        faktor=100,
        decimaler=1,
        tabeller=("telefoni",),
        dimensioner=("ko", "veckodag_timme"),
        anmarkning=_GEMENSAM_KO,
    ),
    Indicator(
        "medel_vantetid",
        "Medelväntetid",
        "s",
        False,
        "månad",
        "Total väntetid för besvarade samtal ÷ besvarade samtal",
        "Telefoni",
        "telefoni",
        "vantetid_s",
        "besvarade",
        tabeller=("telefoni",),
        dimensioner=("ko", "veckodag_timme"),
        anmarkning=_GEMENSAM_KO,
        saknas_namnare="Inga besvarade samtal för perioden",
    ),
    Indicator(
        "medel_hanteringstid",
        "Medelhanteringstid",
        "s",
        False,
        "månad",
        "(Samtalstid + efterarbetstid) ÷ besvarade samtal",
        "Telefoni",
        "telefoni",
        "hanteringstid_s",
        "besvarade",
        tabeller=("telefoni",),
        dimensioner=("ko", "veckodag_timme"),
        anmarkning=_GEMENSAM_KO,
        saknas_namnare="Inga besvarade samtal för perioden",
    ),
    Indicator(
        "antal_inkommande_samtal",
        "Inkommande samtal",
        "st",
        True,
        "månad",
        "Inkommande samtal under perioden",
        "Telefoni",
        "telefoni",
        "inkommande",
        tabeller=("telefoni",),
        dimensioner=("ko", "veckodag_timme"),
        anmarkning=_GEMENSAM_KO,
    ),
    Indicator(
        "servicegrad_samtal",
        "Servicegrad enligt samtalslogg",
        "%",
        True,
        "månad",
        "Samtal besvarade inom vald tröskel ÷ inkommande samtal, ur samtalsloggen",
        "Telefoni",
        "samtal",
        "inom_troskel",
        "servicegrad_namnare",
        faktor=100,
        decimaler=1,
        tabeller=("samtal",),
        dimensioner=("ko",),
        anmarkning=_GEMENSAM_KO,
        saknas_taljare="Ingen samtalslogg för perioden",
        saknas_namnare="Ingen samtalslogg för perioden",
    ),
    # --- Sjukfrånvaro --------------------------------------------------------------------
    Indicator(
        "sjukfranvaro",
        "Sjukfrånvaro",
        "%",
        False,
        "månad",
        "Sjukfrånvarotimmar ÷ ordinarie arbetstid under perioden",
        "Sjukfrånvaro",
        "sjukfranvaro",
        "sjuk_h",
        "ordinarie_h",
        faktor=100,
        decimaler=1,
        tabeller=("sjukfranvaro",),
        dimensioner=("enhet",),
        minsta_antal_anstallda=5,
    ),
    Indicator(
        "sjukfranvaro_kort",
        "Sjukfrånvaro dag 1–14",
        "%",
        False,
        "månad",
        "Sjukfrånvarotimmar dag 1–14 ÷ ordinarie arbetstid under perioden",
        "Sjukfrånvaro",
        "sjukfranvaro",
        "sjuk_dag1_14_h",
        "ordinarie_h",
        faktor=100,
        decimaler=1,
        tabeller=("sjukfranvaro",),
        dimensioner=("enhet",),
        minsta_antal_anstallda=5,
    ),
    Indicator(
        "sjukfranvaro_lang",
        "Sjukfrånvaro dag 15–",
        "%",
        False,
        "månad",
        "Sjukfrånvarotimmar från dag 15 ÷ ordinarie arbetstid under perioden",
        "Sjukfrånvaro",
        "sjukfranvaro",
        "sjuk_dag15_h",
        "ordinarie_h",
        faktor=100,
        decimaler=1,
        tabeller=("sjukfranvaro",),
        dimensioner=("enhet",),
        minsta_antal_anstallda=5,
    ),
    Indicator(
        "sjukfranvaro_12m",
        "Sjukfrånvaro, rullande 12 månader",
        "%",
        False,
        "månad",
        "Sjukfrånvarotimmar ÷ ordinarie arbetstid under de 12 månader som slutar med periodens sista månad",
        "Sjukfrånvaro",
        "sjukfranvaro",
        "sjuk_h",
        "ordinarie_h",
        faktor=100,
        decimaler=1,
        tabeller=("sjukfranvaro",),
        dimensioner=("enhet",),
        fonster_manader=12,
        minsta_antal_anstallda=5,
    ),
    # --- Ekonomi -------------------------------------------------------------------------
    Indicator(
        "intakter",
        "Intäkter",
        "kr",
        True,
        "månad",
        "Intäkter enligt utfall under perioden",
        "Ekonomi",
        "ekonomi",
        "intakter",
        tabeller=("ekonomi",),
        dimensioner=("enhet",),
        saknas_taljare="Inget ekonomiskt utfall för perioden",
    ),
    Indicator(
        "kostnader",
        "Kostnader",
        "kr",
        False,
        "månad",
        "Kostnader enligt utfall under perioden",
        "Ekonomi",
        "ekonomi",
        "kostnader",
        tabeller=("ekonomi",),
        dimensioner=("enhet",),
        saknas_taljare="Inget ekonomiskt utfall för perioden",
    ),
    Indicator(
        "resultat",
        "Resultat",
        "kr",
        True,
        "månad",
        "Intäkter − kostnader enligt utfall under perioden",
        "Ekonomi",
        "ekonomi",
        "resultat",
        tabeller=("ekonomi",),
        dimensioner=("enhet",),
        saknas_taljare="Inget ekonomiskt utfall för perioden",
    ),
    Indicator(
        "budget_resultat",
        "Budgeterat resultat",
        "kr",
        True,
        "månad",
        "Budgeterade intäkter − budgeterade kostnader för periodens månader med bokfört utfall",
        "Ekonomi",
        "ekonomi",
        "budget_resultat",
        tabeller=("ekonomi",),
        dimensioner=("enhet",),
        saknas_taljare="Ingen budget för perioden",
    ),
    Indicator(
        "budgetavvikelse",
        "Budgetavvikelse",
        "kr",
        True,
        "månad",
        "Resultat − budgeterat resultat under perioden (positivt = bättre än budget)",
        "Ekonomi",
        "ekonomi",
        "budgetavvikelse",
        tabeller=("ekonomi",),
        dimensioner=("enhet",),
        saknas_taljare="Inget ekonomiskt utfall för perioden",
    ),
    Indicator(
        "helarsprognos_resultat",
        "Helårsprognos resultat",
        "kr",
        True,
        "månad",
        "Senaste helårsprognos av resultatet (prognosmånad t.o.m. periodens slut, samma år)",
        "Ekonomi",
        "prognos",
        "prognos_resultat",
        tabeller=("prognos",),
        dimensioner=("enhet",),
        saknas_taljare="Ingen helårsprognos t.o.m. perioden",
    ),
    Indicator(
        "prognosavvikelse",
        "Prognosavvikelse mot budget",
        "kr",
        True,
        "månad",
        "Helårsprognos av resultatet − årets budgeterade resultat (positivt = bättre än budget)",
        "Ekonomi",
        "prognos",
        "prognosavvikelse",
        tabeller=("prognos", "ekonomi"),
        dimensioner=("enhet",),
        saknas_taljare="Ingen helårsprognos eller årsbudget t.o.m. perioden",
    ),
    # --- Kund och medarbetare (manual indicators from indikatorer/) ----------------------
    Indicator(
        "nki",
        "Nöjd kund-index (NKI)",
        "index",
        True,
        "år",
        "Nöjd kund-index ur den årliga kundundersökningen",
        "Kund och medarbetare",
        "manuell",
        "utfall",
        tabeller=("indikatorer",),
        dimensioner=("enhet",),
        saknas_taljare="Ingen mätning för perioden",
    ),
    Indicator(
        "andel_nojda_kunder",
        "Andel nöjda kunder",
        "%",
        True,
        "år",
        "Andel nöjda kunder i den årliga kundundersökningen",
        "Kund och medarbetare",
        "manuell",
        "utfall",
        tabeller=("indikatorer",),
        dimensioner=("enhet",),
        saknas_taljare="Ingen mätning för perioden",
    ),
    Indicator(
        "ami",
        "Aktivt medskapandeindex (AMI)",
        "index",
        True,
        "år",
        "Aktivt medskapandeindex ur den årliga medarbetarenkäten",
        "Kund och medarbetare",
        "manuell",
        "utfall",
        tabeller=("indikatorer",),
        dimensioner=("enhet",),
        saknas_taljare="Ingen mätning för perioden",
    ),
    Indicator(
        "forsta_kontakt_losning",
        "Första-kontakt-lösning",
        "%",
        True,
        "tertial",
        "Andel ärenden som löses vid första kontakten",
        "Kund och medarbetare",
        "manuell",
        "utfall",
        tabeller=("indikatorer",),
        dimensioner=("enhet",),
        saknas_taljare="Ingen mätning för perioden",
    ),
]

CATALOGUE: dict[str, Indicator] = {i.id: i for i in _INDICATORS}
"""Every declared indicator by id, in display order (section by section)."""


def manual_indicator(indikator_id: str) -> Indicator:
    """A generic catalogue entry for a manual indicator that appears only in the `indikatorer` table."""
    return Indicator(
        indikator_id,
        indikator_id.replace("_", " ").capitalize(),
        "index",
        True,
        "år",
        "Manuellt rapporterat utfall ur indikatortabellen",
        "Kund och medarbetare",
        "manuell",
        "utfall",
        decimaler=1,
        tabeller=("indikatorer",),
        dimensioner=("enhet",),
        saknas_taljare="Ingen mätning för perioden",
        extra_fran_data=True,
    )


def by_avsnitt(avsnitt: str) -> list[Indicator]:
    """Declared indicators of one section (page), in catalogue order."""
    return [i for i in CATALOGUE.values() if i.avsnitt == avsnitt]
