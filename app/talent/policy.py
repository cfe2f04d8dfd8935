"""The rules of consent, in plain Python (no SQL, no Qt): the vocabulary of a use, and
whether a consent covers a board's use on a date.

A consent covers a use when it is not revoked, its period holds the date (both ends
inclusive), its client is the use's client (case-insensitive), and it names every channel
and every territory of the use. Territories are ISO 3166-1 alpha-2 codes, `EU` (the 27
member states) and `WORLD`; `WORLD` covers everything, `EU` covers each member state, and a
use in `EU` is covered by `EU`, `WORLD`, or a consent naming all 27 members.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

CHANNELS = ("ecommerce", "social", "campaign", "print", "ooh", "internal")
_CHANNEL_ALIASES = {"e-commerce": "ecommerce", "e_commerce": "ecommerce", "out-of-home": "ooh"}
BASES = ("export", "render")
EVENTS = ("render", "export")

EU = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())
ISO_3166 = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())
_TERRITORY_HINTS = {"UK": "GB", "EL": "GR"}
# Minor units per currency where they are not 2 (ISO 4217); others are taken as 2.
_MINOR = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "HUF": 2, "KWD": 3, "BHD": 3, "JOD": 3, "TND": 3}


class PolicyError(ValueError):
    """Input that is not a valid channel, territory, date, fee or currency (one line)."""


def channels(value) -> tuple[str, ...]:
    """'ecommerce, social' or a list -> ('ecommerce', 'social'), checked, no duplicates."""
    items = _items(value, "channels")
    out = []
    for raw in items:
        word = _CHANNEL_ALIASES.get(raw.lower(), raw.lower())
        if word not in CHANNELS:
            raise PolicyError(f"unknown channel {raw!r}; use one of: {', '.join(CHANNELS)}")
        if word not in out:
            out.append(word)
    return tuple(out)


def territories(value) -> tuple[str, ...]:
    """'EU, US' -> ('EU', 'US'): ISO 3166-1 alpha-2 codes, EU and WORLD."""
    items = _items(value, "territories")
    out = []
    for raw in items:
        code = raw.upper()
        if code in _TERRITORY_HINTS:
            raise PolicyError(f"{raw!r} is not an ISO 3166 code; use {_TERRITORY_HINTS[code]}")
        if code not in ISO_3166 and code not in ("EU", "WORLD"):
            raise PolicyError(f"unknown territory {raw!r}; use ISO 3166 country codes "
                              "(NL, DE, US, …), EU or WORLD")
        if code not in out:
            out.append(code)
    return tuple(out)


def _items(value, what: str) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    items = [str(v).strip() for v in (value or ()) if str(v).strip()]
    if not items:
        raise PolicyError(f"{what} are empty: name at least one")
    return items


def iso_date(value, what: str) -> str:
    """'2026-12-01' -> the same, checked (YYYY-MM-DD)."""
    if isinstance(value, date):
        return value.isoformat()
    try:
        if not isinstance(value, str) or len(value.strip()) != 10:
            raise ValueError
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise PolicyError(f"{what} must be a date written YYYY-MM-DD (got {value!r})") from None


def currency(value) -> str:
    code = str(value or "").strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise PolicyError(f"currency must be a three-letter ISO 4217 code such as EUR (got {value!r})")
    return code


def fee(value, code: str) -> str:
    """A fee as a decimal string with the currency's minor units ('25' EUR -> '25.00')."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise PolicyError(f"the fee must be a number such as 25 or 12.50 (got {value!r})") from None
    if not amount.is_finite() or amount < 0:
        raise PolicyError(f"the fee must be zero or more (got {value!r})")
    if amount > Decimal("1e12"):
        raise PolicyError("the fee is too large")
    exp = Decimal(1).scaleb(-_MINOR.get(code, 2))
    if amount != amount.quantize(exp):
        raise PolicyError(f"a {code} fee has at most {_MINOR.get(code, 2)} decimals (got {value!r})")
    return str(amount.quantize(exp))


def zero(code: str) -> str:
    return fee("0", code)


@dataclass(frozen=True)
class Use:
    """What a board's pictures are for."""

    client: str
    channels: tuple[str, ...]
    territories: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.client}, {', '.join(self.channels)}, {', '.join(self.territories)}"


@dataclass(frozen=True)
class Terms:
    """What a consent allows (the fields the rules read)."""

    id: int
    client: str
    channels: tuple[str, ...]
    territories: tuple[str, ...]
    valid_from: str
    valid_until: str
    revoked: str | None = None  # "by NAME (role) on DATE: why" when revoked


def territory_covered(wanted: str, granted) -> bool:
    granted = set(granted)
    if "WORLD" in granted or wanted in granted:
        return True
    if wanted in EU and "EU" in granted:
        return True
    return wanted == "EU" and EU <= granted


def problems(terms: Terms, use: Use, on: date, channel: str | None = None) -> list[str]:
    """What keeps this consent from covering the use on that date (empty: it covers it).
    `channel` narrows the use to one channel (an export for one preset)."""
    out = []
    if terms.revoked:
        out.append(f"revoked {terms.revoked}")
    day = on.isoformat()
    if day < terms.valid_from:
        out.append(f"starts on {terms.valid_from}")
    if day > terms.valid_until:
        out.append(f"expired on {terms.valid_until}")
    if terms.client.casefold() != use.client.casefold():
        out.append(f"is for client {terms.client}, not {use.client}")
    wanted = (channel,) if channel else use.channels
    missing = [c for c in wanted if c not in terms.channels]
    if missing:
        out.append(f"does not cover channel{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    missing = [t for t in use.territories if not territory_covered(t, terms.territories)]
    if missing:
        out.append(f"does not cover territor{'ies' if len(missing) > 1 else 'y'} {', '.join(missing)}")
    return out


def choose(consents, use: Use, on: date, channel: str | None = None):
    """(the consent that covers the use — the newest of those that do —, reasons per
    consent that does not: [(terms, [problem, …])])."""
    refusals = []
    for terms in sorted(consents, key=lambda t: t.id, reverse=True):
        found = problems(terms, use, on, channel)
        if not found:
            return terms, refusals
        refusals.append((terms, found))
    return None, refusals


def due(event: str, basis: str, amount: str, code: str) -> str:
    """The fee a ledger line owes: the consent's fee when the event is its basis, else 0."""
    return amount if event == basis else zero(code)
