"""Talents, their consents, and the use each board declares: the repository API of the
talent record. Every function takes the open `Studio` first; every write is one
transaction; bad input raises InvalidInput before anything is written.
"""

from __future__ import annotations

import json

from app.store import validate
from app.store.decisions import now
from app.store.errors import InvalidInput, NotFound, RuleViolation
from app.store.repo import get_board
from app.talent import chain, files, policy
from app.talent.records import Consent, Photo, Revocation, Talent

ROLES = ("stylist", "art-director", "photographer", "talent")
_TALENT_COLS = "id, name, agency, adapter, adapter_name, trigger_word, created_at, forgotten_at"
_CONSENT_COLS = ("id, talent_id, talent, client, channels, territories, valid_from, valid_until, fee, "
                 "currency, basis, approval_required, evidence, evidence_name, created_at")


def _policy(fn, *args):
    try:
        return fn(*args)
    except policy.PolicyError as exc:
        raise InvalidInput(str(exc)) from None


def role(value) -> str:
    raw = validate.text(value, "role", max_len=40)
    norm = raw.lower().replace("_", "-").replace(" ", "-")
    if norm not in ROLES:
        raise InvalidInput(f"unknown role {raw!r}; use one of: {', '.join(ROLES)}")
    return norm


# --- talents ----------------------------------------------------------------------------

def add_talent(studio, name, agency, references=(), adapter=None, trigger=None) -> Talent:
    """A talent with reference photos (copied into the studio) and optionally a twin: an
    adapter file (.safetensors, kept with its hash) and its trigger word."""
    name = validate.name(name, "talent name")
    agency = validate.name(agency, "agency")
    trigger = validate.name(trigger, "trigger word") if trigger is not None else None
    photos = [files.check_photo(f) for f in references]
    src = None
    if adapter is not None:
        src, meta = files.check_adapter(adapter)
        if trigger is None:  # the adapter's own trigger phrase, where its metadata names one
            words = meta.get("modelspec.trigger_phrase") or meta.get("trigger_words") or ""
            trigger = (words.split(",")[0].strip() or None) if isinstance(words, str) else None
    with studio.reading() as conn:
        if conn.execute("SELECT 1 FROM talents WHERE name = ?", (name,)).fetchone():
            raise InvalidInput(f"a talent named {name!r} already exists")
    stored = [(files.put_bytes(studio.path, "photos", data, ext), ext) for data, ext in photos]
    adapter_hash = files.put_file(studio.path, "adapters", src, "safetensors") if src else None
    created = now()
    with studio.transaction() as conn:
        if conn.execute("SELECT 1 FROM talents WHERE name = ?", (name,)).fetchone():
            raise InvalidInput(f"a talent named {name!r} already exists")
        tid = conn.execute(
            "INSERT INTO talents (name, agency, adapter, adapter_name, trigger_word, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)", (name, agency, adapter_hash, src.name if src else None,
                                          trigger, created)).lastrowid
        for digest, ext in stored:
            conn.execute("INSERT OR IGNORE INTO talent_photos (talent_id, hash, ext, added_at) "
                         "VALUES (?, ?, ?, ?)", (tid, digest, ext, created))
        detail = {"agency": agency, "photos": [d for d, _ in stored], "adapter": adapter_hash,
                  "trigger_word": trigger}
        chain.append(conn, "talent_events", {"talent_id": tid, "talent": name, "event": "added",
                                             "detail": json.dumps(detail, sort_keys=True), "created_at": created})
        return _talent(conn, tid)


def _talent(conn, tid: int) -> Talent:
    row = conn.execute(f"SELECT {_TALENT_COLS} FROM talents WHERE id = ?", (tid,)).fetchone()
    photos = tuple(Photo(*r) for r in conn.execute(
        "SELECT hash, ext, added_at FROM talent_photos WHERE talent_id = ? ORDER BY id", (tid,)))
    return Talent(*row, photos=photos)


def get_talent(studio, name_or_id) -> Talent:
    with studio.reading() as conn:
        if isinstance(name_or_id, int):
            row = conn.execute("SELECT id FROM talents WHERE id = ?", (name_or_id,)).fetchone()
        else:
            key = validate.name(name_or_id, "talent name")
            row = conn.execute("SELECT id FROM talents WHERE name = ?", (key,)).fetchone()
        if row is None:
            raise NotFound(f"there is no talent {name_or_id!r}; add one with `atelier talent add`")
        return _talent(conn, row[0])


def list_talents(studio) -> list[Talent]:
    with studio.reading() as conn:
        return [_talent(conn, r[0]) for r in conn.execute("SELECT id FROM talents ORDER BY name")]


def photo_path(studio, photo: Photo):
    return files.path(studio.path, "photos", photo.hash, photo.ext)


def adapter_path(studio, talent: Talent):
    """The twin's adapter file in the studio, or None (no twin, or forgotten)."""
    if talent.adapter is None or talent.forgotten_at:
        return None
    return files.path(studio.path, "adapters", talent.adapter, "safetensors")


def forget_talent(studio, name) -> Talent:
    """Erase the talent's photos and adapter; keep the name, agency and hashes that the
    ledger and the record need, and record that it happened."""
    talent = get_talent(studio, name)
    if talent.forgotten_at:
        raise InvalidInput(f"{talent.name} was already forgotten on {talent.forgotten_at[:10]}")
    when = now()
    with studio.transaction() as conn:
        shared = {r[0] for r in conn.execute(
            "SELECT hash FROM talent_photos WHERE talent_id != ?", (talent.id,))}
        conn.execute("DELETE FROM talent_photos WHERE talent_id = ?", (talent.id,))
        conn.execute("UPDATE talents SET forgotten_at = ? WHERE id = ?", (when, talent.id))
        detail = {"photos_erased": [p.hash for p in talent.photos], "adapter_erased": talent.adapter}
        chain.append(conn, "talent_events", {"talent_id": talent.id, "talent": talent.name,
                                             "event": "forgotten", "detail": json.dumps(detail, sort_keys=True),
                                             "created_at": when})
        adapter_shared = talent.adapter and conn.execute(
            "SELECT 1 FROM talents WHERE adapter = ? AND id != ? AND forgotten_at IS NULL",
            (talent.adapter, talent.id)).fetchone()
    for p in talent.photos:  # after the commit: a failed commit erases nothing
        if p.hash not in shared:
            files.remove(studio.path, "photos", p.hash, p.ext)
    if talent.adapter and not adapter_shared:
        files.remove(studio.path, "adapters", talent.adapter, "safetensors")
    return get_talent(studio, talent.id)


def talent_events(studio, talent_id=None) -> list[dict]:
    with studio.reading() as conn:
        rows = conn.execute("SELECT id, talent, event, detail, created_at FROM talent_events "
                            + ("WHERE talent_id = ? " if talent_id else "") + "ORDER BY id",
                            (talent_id,) if talent_id else ()).fetchall()
    return [{"id": r[0], "talent": r[1], "event": r[2], "detail": json.loads(r[3]), "time": r[4]} for r in rows]


# --- consents ---------------------------------------------------------------------------

def grant_consent(studio, talent, client, channels, territories, valid_from, valid_until, fee,
                  currency, basis="export", approval_required=False, evidence=None) -> Consent:
    t = get_talent(studio, talent)
    client = validate.name(client, "client")
    chans = _policy(policy.channels, channels)
    terrs = _policy(policy.territories, territories)
    start = _policy(policy.iso_date, valid_from, "--from")
    end = _policy(policy.iso_date, valid_until, "--until")
    if end < start:
        raise InvalidInput(f"the consent ends ({end}) before it starts ({start})")
    code = _policy(policy.currency, currency)
    amount = _policy(policy.fee, fee, code)
    basis = (basis or "export").strip().lower()
    if basis not in policy.BASES:
        raise InvalidInput(f"unknown basis {basis!r}; use export or render")
    if t.forgotten_at:
        raise RuleViolation(f"{t.name} was forgotten on {t.forgotten_at[:10]}; no new consent can be recorded")
    ev = files.check_evidence(evidence) if evidence is not None else None
    ev_hash = files.put_file(studio.path, "evidence", ev[0], ev[1]) if ev else None
    with studio.transaction() as conn:
        row = chain.append(conn, "consents", {
            "talent_id": t.id, "talent": t.name, "client": client, "channels": json.dumps(list(chans)),
            "territories": json.dumps(list(terrs)), "valid_from": start, "valid_until": end,
            "fee": amount, "currency": code, "basis": basis, "approval_required": int(bool(approval_required)),
            "evidence": f"{ev_hash}.{ev[1]}" if ev else None, "evidence_name": ev[0].name if ev else None,
            "created_at": now()})
        return _consent(conn, row["id"])


def _consent(conn, cid: int) -> Consent:
    row = conn.execute(f"SELECT {_CONSENT_COLS} FROM consents WHERE id = ?", (cid,)).fetchone()
    if row is None:
        raise NotFound(f"there is no consent {cid}")
    rev = conn.execute("SELECT person, role, reason, created_at FROM revocations WHERE consent_id = ?",
                       (cid,)).fetchone()
    values = list(row)
    values[4], values[5] = tuple(json.loads(values[4])), tuple(json.loads(values[5]))
    values[11] = bool(values[11])
    return Consent(*values, revocation=Revocation(*rev) if rev else None)


def get_consent(studio, consent_id) -> Consent:
    cid = validate.ident(consent_id, "consent id")
    with studio.reading() as conn:
        return _consent(conn, cid)


def consents(studio, talent=None) -> list[Consent]:
    with studio.reading() as conn:
        if talent is None:
            ids = conn.execute("SELECT id FROM consents ORDER BY id").fetchall()
        else:
            t = get_talent(studio, talent)
            ids = conn.execute("SELECT id FROM consents WHERE talent_id = ? ORDER BY id", (t.id,)).fetchall()
        return [_consent(conn, r[0]) for r in ids]


def evidence_path(studio, consent: Consent):
    if not consent.evidence:
        return None
    digest, ext = consent.evidence.split(".", 1)
    return files.path(studio.path, "evidence", digest, ext)


def revoke_consent(studio, consent_id, person, role_, reason) -> Consent:
    cid = validate.ident(consent_id, "consent id")
    person = validate.name(person, "--by")
    role_ = role(role_)
    reason = validate.long_text(reason, "--why")
    with studio.transaction() as conn:
        consent = _consent(conn, cid)
        if consent.revocation:
            raise InvalidInput(f"consent {cid} was already revoked {consent.revocation.describe()}")
        chain.append(conn, "revocations", {"consent_id": cid, "person": person, "role": role_,
                                           "reason": reason, "created_at": now()})
        return _consent(conn, cid)


# --- the use a board declares -------------------------------------------------------------

def set_board_use(studio, board, client, channels, territories) -> policy.Use:
    b = get_board(studio, board)
    client = validate.name(client, "client")
    chans = _policy(policy.channels, channels)
    terrs = _policy(policy.territories, territories)
    with studio.transaction() as conn:
        chain.append(conn, "board_uses", {"board_id": b.id, "client": client,
                                          "channels": json.dumps(list(chans)),
                                          "territories": json.dumps(list(terrs)), "created_at": now()})
    return policy.Use(client, chans, terrs)


def board_use_in(conn, board_id: int) -> policy.Use | None:
    row = conn.execute("SELECT client, channels, territories FROM board_uses WHERE board_id = ? "
                       "ORDER BY id DESC LIMIT 1", (board_id,)).fetchone()
    if row is None:
        return None
    return policy.Use(row[0], tuple(json.loads(row[1])), tuple(json.loads(row[2])))


def board_use(studio, board) -> policy.Use | None:
    b = get_board(studio, board)
    with studio.reading() as conn:
        return board_use_in(conn, b.id)


def verify(studio) -> tuple[bool, str]:
    """The talent record's chains, then each ledger line against the consent it relied on
    (its fee and currency are what that consent's terms make due)."""
    with studio.reading() as conn:
        ok, message = chain.verify(conn)
        if not ok:
            return ok, message
        for lid, event, fee, code, basis, cfee, ccode in conn.execute(
                "SELECT l.id, l.event, l.fee, l.currency, c.basis, c.fee, c.currency FROM ledger l "
                "LEFT JOIN consents c ON c.id = l.consent_id ORDER BY l.id"):
            if basis is None:
                return False, f"ledger line {lid}: the consent it relied on is missing"
            if (fee, code) != (policy.due(event, basis, cfee, ccode), ccode):
                return False, (f"ledger line {lid}: its fee {fee} {code} is not what its consent makes due "
                               f"for a {event} ({cfee} {ccode} per {basis})")
    return ok, message
