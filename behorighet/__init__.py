"""Login roles and unit scope: who may open which page and see which units, and the access log (no Streamlit here)."""

from behorighet.logg import Loggfel, las_logg, logga, loggfil
from behorighet.mappning import LOKAL, Anvandare, Behorigheter, Behorighetsfilfel, aktuella, las, mappningsfil, tolka
from behorighet.roller import ALLA_ENHETER, CONTROLLER, DATAANSVARIG, ENHETSCHEF, FORMAGOR, ROLLER, SIDOR, VERKSAMHETSCHEF

__all__ = [
    "ALLA_ENHETER",
    "CONTROLLER",
    "DATAANSVARIG",
    "ENHETSCHEF",
    "FORMAGOR",
    "LOKAL",
    "ROLLER",
    "SIDOR",
    "VERKSAMHETSCHEF",
    "Anvandare",
    "Behorigheter",
    "Behorighetsfilfel",
    "Loggfel",
    "aktuella",
    "las",
    "las_logg",
    "logga",
    "loggfil",
    "mappningsfil",
    "tolka",
]
