"""Roles, the page-access matrix and the actions beyond viewing, declared once for the app, the tests and the README."""

from __future__ import annotations

VERKSAMHETSCHEF = "verksamhetschef"
ENHETSCHEF = "enhetschef"
CONTROLLER = "controller"
DATAANSVARIG = "dataansvarig"

# role → what it gives, in Swedish (the no-access page, `python -m behorighet` and the README say the same)
ROLLER: dict[str, str] = {
    VERKSAMHETSCHEF: "alla enheter, alla sidor",
    ENHETSCHEF: "bara sina egna enheter (enheterna anges i behörighetsfilen)",
    CONTROLLER: "alla enheter, ekonomin i full detalj (budget, utfall och prognos per enhet och kontogrupp)",
    DATAANSVARIG: "Datakvalitet och körloggen, leverera data, ny inläsning (ETL)",
}

# Roles that see every unit; enhetschef sees the units its rules name; dataansvarig sees no unit figures at all.
ALLA_ENHETER = frozenset({VERKSAMHETSCHEF, CONTROLLER})
ENHETSBUNDNA = frozenset({ENHETSCHEF})

_UPPFOLJNING = frozenset({VERKSAMHETSCHEF, ENHETSCHEF, CONTROLLER})

# Page URL path (the file name in pages/ without .py) → the roles that may open it. A page missing here is
# closed to everyone: a new page must be declared (tests/behorighet checks every page in ui/sidkarta.py is).
SIDOR: dict[str, frozenset[str]] = {
    "oversikt": _UPPFOLJNING,
    "maluppfyllelse": _UPPFOLJNING,
    "produktivitet": _UPPFOLJNING,
    "telefoni": _UPPFOLJNING,
    "sjukfranvaro": _UPPFOLJNING,
    "ekonomi": _UPPFOLJNING,
    "apt_lage": _UPPFOLJNING,
    # A controller delivers the Agresso extract and forecasts: the delivery page, and Datakvalitet for a rejection's detail.
    # The verksamhetschef keeps the yearly targets, surveys and goal hierarchy, and answers for the data being complete.
    "datakvalitet": frozenset({VERKSAMHETSCHEF, CONTROLLER, DATAANSVARIG}),
    "leverera_data": frozenset({VERKSAMHETSCHEF, CONTROLLER, DATAANSVARIG}),
    "om_indikatorerna": frozenset(ROLLER),
    "tillganglighet": frozenset(ROLLER),  # the accessibility statement: the law wants it open to every user
}

# Actions beyond viewing a page → the roles that may perform them.
FORMAGOR: dict[str, frozenset[str]] = {
    "kora_etl": frozenset({DATAANSVARIG}),
    # The goal follow-up: an enhetschef writes for their own units (Anvandare.far_skriva_for), the verksamhetschef
    # for the whole and every unit, and only the verksamhetschef fixes (fastställer) or reopens a period.
    "skriva_uppfoljning": frozenset({VERKSAMHETSCHEF, ENHETSCHEF}),
    "faststalla_period": frozenset({VERKSAMHETSCHEF}),
}


def far_se(roller: frozenset[str], sida: str) -> bool:
    """True when one of the roles may open the page (unknown pages: nobody)."""
    return bool(SIDOR.get(sida, frozenset()) & roller)


def far(roller: frozenset[str], formaga: str) -> bool:
    """True when one of the roles may perform the action (unknown actions: nobody)."""
    return bool(FORMAGOR.get(formaga, frozenset()) & roller)
