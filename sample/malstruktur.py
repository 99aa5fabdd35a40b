"""The goal hierarchy of the sample's verksamhetsplaner, year by year, shaped after the 2024 plan (DESIGN.md §7)."""

from __future__ import annotations

from datetime import date

import polars as pl

# Manual indicators the plans follow that the catalogue does not declare: id → name (delivered in indikatorer/).
MANUELLA = {
    "feriejobb": "Antal feriejobb",
    "stockholmsjobb": "Antal Stockholmsjobb",
    "praktikplatser": "Antal praktikplatser",
    "utbildningstillfallen": "Antal utbildningstillfällen till kund i Smart lönehantering",
}

KOLUMNER = {
    "År": pl.Int64,
    "Typ": pl.String,
    "Id": pl.String,
    "Nivå": pl.String,
    "Överordnat": pl.String,
    "Text": pl.String,
    "Förväntat resultat": pl.String,
    "Arbetssätt": pl.String,
    "Uppföljning": pl.String,
    "Periodicitet": pl.String,
    "Startdatum": pl.Date,
    "Slutdatum": pl.Date,
}


class _Plan:
    """Rows of one year's plan, written in the order the plan document reads."""

    def __init__(self, ar: int):
        self.ar, self.rader = ar, []
        self._aktivitet = 0

    def mal(self, id_: str, niva: str, text: str, overordnat: str | None = None, resultat=None, arbetssatt=None, uppfoljning=None) -> str:
        """A goal row; returns its id for the rows under it."""
        self.rader.append(
            {"Typ": "Mål", "Id": id_, "Nivå": niva, "Överordnat": overordnat, "Text": text} | _texter(resultat, arbetssatt, uppfoljning)
        )
        return id_

    def indikator(self, mal: str, id_: str, periodicitet: str) -> None:
        """An indicator that follows the goal (a manual one when the catalogue does not declare it)."""
        manuell = id_ in MANUELLA
        typ = "Manuell indikator" if manuell else "Indikator"
        self.rader.append({"Typ": typ, "Id": id_, "Överordnat": mal, "Text": MANUELLA.get(id_), "Periodicitet": periodicitet})

    def aktivitet(self, mal: str, text: str, start: tuple[int, int], slut: tuple[int, int], slutar: int | None = None) -> None:
        """An activity from (month, day) to (month, day) of the plan's year, or of `slutar` when it runs into the next."""
        self._aktivitet += 1
        self.rader.append(
            {
                "Typ": "Aktivitet",
                "Id": f"A{self._aktivitet}",
                "Överordnat": mal,
                "Text": text,
                "Startdatum": date(self.ar, *start),
                "Slutdatum": date(slutar or self.ar, *slut),
            }
        )


def _texter(resultat, arbetssatt, uppfoljning) -> dict:
    return {"Förväntat resultat": resultat, "Arbetssätt": arbetssatt, "Uppföljning": uppfoljning}


def plan(ar: int) -> list[dict]:
    """One year's hierarchy: KF:s inriktningsmål 3 with its KF goals, the nämnd's goals, enhetsmål, indicators and activities."""
    p = _Plan(ar)
    kf3 = p.mal("KF3", "KF:s inriktningsmål", "Ett Stockholm med en stabil och hållbar ekonomi med utbildning, jobb och bostäder för alla")

    kf31 = p.mal("KF3.1", "KF:s mål", "Stockholms ekonomi är stark, hållbar och lägger grunden för en jämlik välfärd", kf3)
    nm1 = p.mal("NM1", "Nämndmål", "Servicenämnden har en ekonomi i balans", kf31)
    em1 = p.mal(
        "EM1",
        "Enhetsmål",
        "Verksamhetsområde lön och pension har en ekonomi i balans",
        nm1,
        resultat="God ekonomisk kontroll och balans mellan intäkter och kostnader. Tjänsterna prissätts till självkostnad.",
        arbetssatt="Enhetscheferna följer budget, volymer och bemanning varje månad; avvikelser analyseras och åtgärdas löpande.",
        uppfoljning="Prognos och volymstatistik månadsvis, resultat och kostnad per lön per tertial.",
    )
    p.indikator(em1, "resultat", "Tertial")
    p.indikator(em1, "prognosavvikelse", "Tertial")
    p.indikator(em1, "kostnad_per_lonespec", "Tertial")
    p.aktivitet(em1, "Månatlig genomgång av prognos, volymer och bemanning med enhetscheferna", (1, 1), (12, 31))
    if ar >= 2025:
        p.aktivitet(em1, "Se över prismodellen för akuta utbetalningar och extratjänster", (2, 1), (6, 30))

    nm2 = p.mal("NM2", "Nämndmål", "Servicenämnden utvecklar och effektiviserar stadens administrativa funktioner", kf31)
    p.indikator(nm2, "lonespec_per_arsarbetare" if ar >= 2024 else "loner_per_arsarbetare", "Tertial")
    p.indikator(nm2, "nki", "År")
    em2 = p.mal(
        "EM2",
        "Enhetsmål",
        "Verksamheten effektiviserar stadens administration",
        nm2,
        resultat="Fler lönespecifikationer per årsarbetare och en högre andel maskinell rapportering i förvaltningarna.",
        arbetssatt="Förvaltningarna erbjuds utbildning i Smart lönehantering; manuella underlag ersätts med självservice.",
        uppfoljning="Lönespecifikationer per årsarbetare och andel maskinell rapportering per tertial, utbildningstillfällen per år.",
    )
    if ar >= 2024:
        p.indikator(em2, "loner_per_arsarbetare", "Tertial")
    p.indikator(em2, "andel_maskinell", "Tertial")
    p.indikator(em2, "utbildningstillfallen", "År")
    p.aktivitet(em2, "Erbjuda förvaltningarna utbildning i Smart lönehantering", (1, 1), (12, 31))
    if ar == 2023:
        p.aktivitet(em2, "Införa digitala anställningsunderlag i ytterligare fyra förvaltningar", (3, 1), (11, 30))
    if ar == 2024:
        p.aktivitet(em2, "Uppdatera pensionsbrev som sänds till blivande pensionärer", (1, 1), (8, 31))
    if ar >= 2025:
        p.aktivitet(em2, "Automatisera kontrollen av manuellt registrerade underlag", (3, 1), (6, 30), ar + 1)
    em3 = p.mal(
        "EM3",
        "Enhetsmål",
        "Kunderna får snabb och korrekt service",
        nm2,
        resultat="Samtal till löneservice och pension besvaras snabbt och frågan löses oftast vid första kontakten.",
        arbetssatt="Löneservice bemannas enligt schema efter samtalsprognosen; vanliga frågor besvaras på intranätet.",
        uppfoljning="Servicegrad och första-kontakt-lösning per tertial, NKI per år.",
    )
    p.indikator(em3, "servicegrad", "Tertial")
    p.indikator(em3, "forsta_kontakt_losning", "Tertial")
    p.aktivitet(em3, "Bemanna löneservice efter samtalsprognos per kvart", (1, 15), (4, 30))
    if ar >= 2024:
        p.aktivitet(em3, "Publicera svar på de tio vanligaste lönefrågorna på intranätet", (5, 1), (9, 30))

    kf32 = p.mal("KF3.2", "KF:s mål", "I Stockholm ska alla ges möjlighet till ett eget jobb", kf3)
    for id_ in ("feriejobb", "stockholmsjobb", "praktikplatser"):
        p.indikator(kf32, id_, "Tertial")

    kf34 = p.mal("KF3.4", "KF:s mål", "Medarbetare i Stockholm ska ges goda förutsättningar att göra ett bra jobb", kf3)
    p.indikator(kf34, "ami", "År")
    p.indikator(kf34, "sjukfranvaro", "Tertial")
    p.indikator(kf34, "sjukfranvaro_kort", "Tertial")
    nm3 = p.mal(
        "NM3", "Nämndmål", "Servicenämnden är en attraktiv arbetsgivare där medarbetarna har goda förutsättningar att göra ett bra jobb", kf34
    )
    em4 = p.mal(
        "EM4",
        "Enhetsmål",
        "Medarbetarna har en digital trygghet",
        nm3,
        resultat="Alla medarbetare känner sig trygga i lönesystemet och de digitala arbetsverktygen.",
        arbetssatt="Kompetensinventering, individuella utvecklingsplaner och handledning av erfarna kollegor.",
        uppfoljning="AMI per år, sjukfrånvaro per tertial.",
    )
    p.aktivitet(em4, "Kompetensinventering och individuella utvecklingsplaner för alla medarbetare", (2, 1), (5, 31))
    p.aktivitet(em4, "Tidig uppföljning av upprepad korttidsfrånvaro tillsammans med företagshälsovården", (1, 1), (12, 31))

    if ar >= 2024:
        kf35 = p.mal("KF3.5", "KF:s mål", "Hög beredskap och stark rådighet ska råda i alla verksamhetsområden", kf3)
        nm4 = p.mal(
            "NM4",
            "Nämndmål",
            "Servicenämndens tjänster stärker stadens beredskapsförmåga och bidrar till ett robust samhälle",
            kf35,
        )
        em5 = p.mal(
            "EM5",
            "Enhetsmål",
            "Verksamheten fungerar ändamålsenligt även vid oönskade händelser",
            nm4,
            resultat="Löner och pensioner betalas ut i tid även vid avbrott i system, el eller tele.",
            arbetssatt="Kontinuitetsplan med reservrutiner; planen övas varje år.",
            uppfoljning="Genomförd övning och uppdaterad kontinuitetsplan rapporteras i tertialrapport 3.",
        )
        p.aktivitet(em5, "Öva kontinuitetsplanen för löneutbetalning vid avbrott i lönesystemet", (9, 1), (11, 30))
        p.aktivitet(em5, "Uppdatera reservrutinen för akuta utbetalningar", (1, 1), (6, 30))
    return [{"År": ar} | r for r in p.rader]


def malstruktur(ar_lista: list[int]) -> pl.DataFrame:
    """Every year's hierarchy in one frame with the source's Swedish headers."""
    rader = [r for ar in ar_lista for r in plan(ar)]
    return pl.DataFrame([{k: r.get(k) for k in KOLUMNER} for r in rader], schema=KOLUMNER, orient="row")
