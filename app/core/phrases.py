"""Reading a prompt by structure: comma terms → phrases → the slot of each head noun.

A comma term ("a woman in an oversized camel coat") is split into phrases at connecting
words (in, wearing, with, on, at, of, against, and, ...); each phrase goes to the slot of
its head noun, the rightmost word that names a thing (resources/phrases/heads.json), so
"an oversized camel coat" is a garment with its colour and fit, and "a woman" the subject.
The connecting words are kept with the phrase after them (`Term.lead`), so a prompt that
no note changed renders back as it was written.

Rules that keep phrases whole where splitting would lose meaning:
- a phrase the lexicon knows as one entry stays one ("hands in pockets", "hair in a bun");
- a split needs a head on the left: "wind in hair" is about the hair, "black and white" a
  colour; "of" splits only after a picture word ("close-up portrait of a woman"), never
  in "depth of field";
- neighbouring phrases of one slot and one weight joined by a preposition are one term
  ("tram stop in the rain").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from app.core.lemma import lemma
from app.core.term import Term

CONNECTORS = {"in", "wearing", "with", "on", "at", "of", "against", "and", "under", "beside",
              "behind", "inside", "near", "holding", "met", "op", "tegen", "en", "bij", "draagt"}
# connectors that join two things of their own (never merged back into one term)
LISTING = {"and", "en", "wearing", "draagt", "holding", "verb"}
DETERMINERS = {"a", "an", "the", "her", "his", "their", "its", "some", "een", "de", "het", "haar", "zijn"}
PICTURE_SLOTS = {"framing", "mood", "quality"}  # "portrait of ...", "photo of ..."
_WORD = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
_LENS = re.compile(r"^\d+mm$")


@dataclass
class Heads:
    slot_of: dict[str, str]  # lemma → slot
    kinds: dict[str, dict[str, str]]  # slot → word → kind
    attributes: dict[str, str]  # word → attribute kind (colour, material, fit)
    translate: dict[str, str]  # Dutch word → the English a prompt uses


@lru_cache(maxsize=1)
def heads() -> Heads:
    from app.paths import resource

    data = json.loads(resource("phrases", "heads.json").read_bytes())
    slot_of = {w.casefold(): slot for slot, words in data["heads"].items() for w in words}
    kinds = {slot: {w: k for k, ws in table.items() for w in ws} for slot, table in data["kinds"].items()}
    attributes = {w: k for k, ws in data["attributes"].items() for w in ws}
    return Heads(slot_of, kinds, attributes, data["translate"])


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def head_slot(words: list[str]) -> tuple[str | None, int]:
    """(slot, index) of the rightmost word that names a thing, or (None, -1)."""
    table = heads().slot_of
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        if _LENS.match(w):
            return "framing", i
        for form in (w, lemma(w)):
            if form in table:
                return table[form], i
    return None, -1


def kind(slot: str, text: str) -> str | None:
    """The kind of a term within its slot ("low angle" → angle), or None (the slot is one kind)."""
    table = heads().kinds.get(slot)
    if not table:
        return None
    ws = words_of(text)
    if slot == "garment":  # a garment's kind is its head's
        s, i = head_slot(ws)
        return table.get(ws[i]) or table.get(lemma(ws[i])) if i >= 0 else None
    if slot == "framing" and any(_LENS.match(w) for w in ws):
        return "lens"
    found = [table.get(w) or table.get(lemma(w)) for w in ws]
    found = [k for k in found if k]
    if slot == "framing":  # "low angle shot": the angle says what kind it is
        for k in ("angle", "lens", "size"):
            if k in found:
                return k
        return None
    return found[-1] if found else None


# ------------------------------------------------------------------ chunking


@dataclass
class _Phrase:
    words: list[tuple[str, float]]  # (word as written, weight)
    lead: str = ""  # connecting words before it ("in an")
    conn: str = ""  # the connector itself, lowercased
    verb: bool = False  # an -ing verb whose object is the next phrase ("crossing")

    def text(self) -> str:
        return " ".join(w for w, _ in self.words)

    def keys(self) -> list[str]:
        return [w.casefold().strip(".;:!?\"'") for w, _ in self.words]


def read_term(words: list[tuple[str, float]], classify) -> list[tuple[str, Term]]:
    """One comma term (its words with their weights) → [(slot, Term)], in prompt order.
    `classify(text) -> slot | None` is the lexicon's reading of a phrase."""
    phrases = _split(words, classify)
    placed: list[tuple[str, _Phrase]] = [(_slot(p, classify), p) for p in phrases]
    merged: list[tuple[str, _Phrase]] = []
    for slot, p in placed:
        if merged and p.conn and p.conn not in LISTING and merged[-1][0] == slot \
                and len({w for _, w in merged[-1][1].words} | {w for _, w in p.words}) == 1:
            prev = merged[-1][1]
            lead_words = [(w, p.words[0][1]) for w in p.lead.split()]
            merged[-1] = (slot, _Phrase(prev.words + lead_words + p.words, prev.lead, prev.conn))
        else:
            merged.append((slot, p))
    out: list[tuple[str, Term]] = []
    previous = ""
    for slot, p in merged:
        for n, (text, weight) in enumerate(_runs(p)):
            lead = (p.lead if n == 0 else " ") if out else ""
            term = Term(text, round(weight, 4), lead=f" {lead.strip()} " if lead.strip() else (" " if lead else ""),
                        follows=previous if lead else "")
            out.append((slot, term))
            previous = " ".join(text.casefold().split())
    return out


def _runs(p: _Phrase) -> list[tuple[str, float]]:
    """A phrase as runs of one weight ("glossy (skin)1.1": two runs)."""
    runs: list[list] = []
    for w, weight in p.words:
        if runs and runs[-1][1] == weight:
            runs[-1][0].append(w)
        else:
            runs.append([[w], weight])
    # an article with its own weight goes with the words after it ("a (red dress)1.2")
    if len(runs) > 1 and all(x.casefold() in DETERMINERS for x in runs[0][0]):
        runs[1][0] = runs[0][0] + runs[1][0]
        runs.pop(0)
    return [(" ".join(ws), weight) for ws, weight in runs]


def _split(words: list[tuple[str, float]], classify) -> list[_Phrase]:
    keys = [w.casefold() for w, _ in words]
    if classify(" ".join(keys), whole=True):
        return [_Phrase(list(words))]  # one lexicon entry: "hands in pockets"
    phrases = [_Phrase([])]
    i = 0
    while i < len(words):
        k = keys[i]
        cur = phrases[-1]
        if k in CONNECTORS and cur.words and i + 1 < len(words) and _splits(k, cur, keys[i + 1:], classify):
            j = i + 1
            while j < len(words) - 1 and keys[j] in DETERMINERS:
                j += 1
            lead = " ".join(w for w, _ in words[i:j])
            phrases.append(_Phrase([], lead, k))
            i = j
            continue
        # "crossing a busy street": an -ing verb and a place it goes through
        if cur.words and len(cur.words) == 1 and cur.keys()[0].endswith("ing") and k in DETERMINERS \
                and i + 1 < len(words) and head_slot(keys[i + 1:_next_connector(keys, i + 1)])[0] == "background":
            cur.verb = True
            phrases.append(_Phrase([], words[i][0], "verb"))
            i += 1
            continue
        cur.words.append(words[i])
        i += 1
    return [p for p in phrases if p.words] or [_Phrase(list(words))]


def _next_connector(keys: list[str], start: int) -> int:
    return next((j for j in range(start, len(keys)) if keys[j] in CONNECTORS), len(keys))


def _splits(conn: str, left: _Phrase, rest: list[str], classify) -> bool:
    right = rest[:_next_connector(rest, 0)] or rest
    left_slot, _ = head_slot(left.keys())
    if conn in ("wearing", "draagt", "holding"):
        return True
    if conn in ("of", "van"):
        return left_slot in PICTURE_SLOTS
    if conn in ("and", "en"):  # two things, each with its own head: not "black and white"
        return left_slot is not None and head_slot(right)[0] is not None
    if left_slot is None and not classify(" ".join(left.keys()), whole=True):
        return False  # "wind in hair"
    return True


def _slot(p: _Phrase, classify) -> str:
    """The lexicon's slot for a phrase that is one entry, else its head noun's, else the
    lexicon's reading; what a person does ("holding a coffee cup") is a pose."""
    text = " ".join(p.keys())
    if p.verb:
        return "pose"
    whole = classify(text, whole=True)
    if whole:
        return whole
    slot, _ = head_slot(p.keys())
    if slot:
        return slot
    found = classify(text)
    if found is None and p.keys()[0].endswith("ing") and len(p.keys()) > 1:
        return "pose"
    return found or "subject"
