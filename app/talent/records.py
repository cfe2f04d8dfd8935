"""Plain dataclasses of the talent record (no SQL, no Qt)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Photo:
    hash: str
    ext: str
    added_at: str


@dataclass(frozen=True)
class Talent:
    id: int
    name: str
    agency: str
    adapter: str | None  # sha256 of the adapter file (kept after forget)
    adapter_name: str | None
    trigger_word: str | None
    created_at: str
    forgotten_at: str | None = None
    photos: tuple[Photo, ...] = ()

    def to_dict(self) -> dict:
        d = asdict(self)
        d["photos"] = [p["hash"] for p in d["photos"]]
        return d


@dataclass(frozen=True)
class Revocation:
    person: str
    role: str
    reason: str
    created_at: str

    def describe(self) -> str:
        return f"by {self.person} ({self.role}) on {self.created_at[:10]}: {self.reason}"


@dataclass(frozen=True)
class Consent:
    id: int
    talent_id: int
    talent: str
    client: str
    channels: tuple[str, ...]
    territories: tuple[str, ...]
    valid_from: str
    valid_until: str
    fee: str  # a decimal string, in the currency's minor units
    currency: str
    basis: str  # export | render
    approval_required: bool
    evidence: str | None
    evidence_name: str | None
    created_at: str
    revocation: Revocation | None = None

    @property
    def revoked(self) -> bool:
        return self.revocation is not None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["channels"], d["territories"] = list(self.channels), list(self.territories)
        d["fee"] = float(self.fee)
        d["revoked"] = self.revoked
        return d

    def reads(self) -> str:
        """The consent as the agreement it records, in one paragraph."""
        approval = (" Each picture needs the talent's approval before it is published."
                    if self.approval_required else "")
        text = (f"{self.talent} consents to the use of their likeness by {self.client} in "
                f"{', '.join(self.channels)} for {', '.join(self.territories)}, from {self.valid_from} "
                f"until {self.valid_until} inclusive, for {self.fee} {self.currency} per "
                f"{'exported' if self.basis == 'export' else 'rendered'} image.{approval}")
        if self.evidence_name:
            text += f" Signed agreement: {self.evidence_name}."
        if self.revocation:
            text += f" Revoked {self.revocation.describe()}."
        return text


@dataclass(frozen=True)
class LedgerLine:
    id: int
    time: str
    talent: str
    agency: str
    consent: int
    shot: int
    board: int
    event: str  # render | export
    channel: str
    fee: str
    currency: str
    adapter: str | None = None

    def to_dict(self) -> dict:
        return {"time": self.time, "talent": self.talent, "consent": self.consent, "shot": self.shot,
                "event": self.event, "channel": self.channel, "fee": float(self.fee),
                "currency": self.currency, "id": self.id, "board": self.board, "agency": self.agency}


@dataclass(frozen=True)
class Grant:
    """A use the rules allowed: the talent, the consent it relies on, the channel(s)."""

    talent: Talent
    consent: Consent
    board_id: int
    event: str
    channel: str
    use: object = field(default=None, compare=False)
