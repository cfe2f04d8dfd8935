"""The lexicons: surface words of a fashion shoot (English, Dutch) → slot and prompt term.

Data lives in app/resources/lexicons/<lang>.json; this module compiles them once per
process into a phrase table; `scan` splits a note into known phrases.

A lexicon file holds:
- "grammar": marker words by kind (MARKER_KINDS: more, less, intensity, too, negation,
  removal, set, keep, state, conj, filler, ...);
- "entries": {"slot", "term", "words", "adj", "more", "less", "context_words", "noun",
  "bare", "comparative", "opposite", "negate", "secondary"}. `words` mean the term; `adj`
  are adjectives whose forms are generated (inflect.py; "soft" gives "softer", a "more"
  form); `more`/`less` are forms that say "more"/"less" by themselves; `context_words`
  name the term only beside a word for its slot ("down" beside "eyes"); `noun: true`
  marks words that name the slot ("hair", "achtergrond"), with `term: null` or a default
  term ("less makeup"). `secondary` senses are taken only when the note names their slot.
Entries of both languages with the same (slot, term) are one entry: prompts are English.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from app.core import inflect
from app.paths import resource
from app.core.slots import SLOTS

# What a bare mention ("white background", "ontspannen houding") does, by slot.
BARE_OP = {s: "add" for s in SLOTS} | {"background": "set", "framing": "set", "gaze": "set"}
# What a comparative does, by slot ("tighter crop" picks a shot size, it does not weigh one).
COMPARATIVE_OP = {"framing": "set", "gaze": "set"}
MARKER_KINDS = ("more", "less", "tiny", "slight", "strong", "too", "too_any", "negation", "removal",
                "set", "set_before", "add", "keep", "state", "conj", "filler")

TOKEN_RE = re.compile(r"\d+/\d+|[^\W_]+(?:['\-][^\W_]+)*|[,;.!?/&+:()\[\]]")
PUNCT = set(",;.!?/&+:()[]")


@dataclass(frozen=True)
class Entry:
    slot: str
    term: str | None
    bare: str
    comparative: str | None
    opposite: str | None
    negate: bool
    secondary: bool  # a sense to take only when the note names its slot ("softer expression")


CONTEXTUAL = 2  # the polarity of a word that names its entry only beside the slot's word
NOUN = 3  # the polarity of a word that names a slot ("hair", "achtergrond")


def Hit(kind: str, entry: Entry | None = None, polarity: int = 0) -> tuple:
    """What a phrase means: (kind, entry, polarity). kind is "entry" or a marker kind;
    polarity +1 when the words say "more" (softer), -1 "less", CONTEXTUAL when they name
    the entry only beside a word for its slot ("eyes down"), NOUN when they name the slot
    ("hair", and its default term if it has one). A plain tuple, because
    the phrase table holds many of them."""
    return (kind, entry, polarity)


def tokenize(text: str) -> list[str]:
    text = text.casefold().replace("\u2019", "'").replace("\u2018", "'")
    return TOKEN_RE.findall(text)


class Lexicon:
    def __init__(self, docs: list[dict]):
        self.phrases: dict[tuple[str, ...], list[tuple]] = {}
        self.vocab: dict[str, set[str]] = {}
        self.entries: dict[tuple[str, str | None], Entry] = {}
        raw: dict[tuple[str, str | None], dict] = {}
        for doc in docs:
            for e in doc.get("entries", []):
                k = (e["slot"], e.get("term"))
                if e["slot"] not in SLOTS:
                    raise ValueError(f"lexicon {doc['language']}: unknown slot {e['slot']!r}")
                merged = raw.setdefault(k, {})
                for f in ("bare", "comparative", "opposite", "negate", "secondary"):
                    if f in e:
                        merged[f] = e[f]
        for (slot, term), f in raw.items():
            self.entries[(slot, term)] = Entry(
                slot, term, f.get("bare", BARE_OP[slot]), f.get("comparative", COMPARATIVE_OP.get(slot)),
                f.get("opposite"), f.get("negate", True), f.get("secondary", False))
        # words such as "warmer tones" or "zachtere schaduwen" say "more" by themselves
        self.comparatives = {w for doc in docs for e in doc.get("entries", []) for w in _comparatives(doc, e)}
        for doc in docs:
            self._compile(doc)
        for hits in self.phrases.values():  # primary senses first, markers keep their place
            hits.sort(key=lambda h: h[0] == "entry" and (h[1].secondary or h[2] == CONTEXTUAL))
        self.known = {tok for phrase in self.phrases for tok in phrase}
        # "the", "de": an entry phrase that starts with one ("the hair") is no longer for it
        self.filler_words = {p[0] for p, hits in self.phrases.items()
                         if len(p) == 1 and all(h[0] == "filler" for h in hits)}
        self.maxlen = max(len(p) for p in self.phrases)

    def _compile(self, doc: dict) -> None:
        lang = doc["language"]
        vocab = self.vocab.setdefault(lang, set())
        forms = inflect.dutch if lang == "nl" else inflect.english
        for kind, words in doc.get("grammar", {}).items():
            if kind not in MARKER_KINDS:
                raise ValueError(f"lexicon {lang}: unknown grammar kind {kind!r}")
            for w in words:
                self._add(w, Hit(kind), vocab)
        for e in doc.get("entries", []):
            entry = self.entries[(e["slot"], e.get("term"))]
            for w in e.get("words", []):
                toks = tokenize(w)
                polarity = NOUN if e.get("noun") else 1 if any(t in self.comparatives for t in toks) else 0
                for variant in _determiner_variants(toks, lang):  # "hand in her hair" = "hand in the hair"
                    self._add(variant, Hit("entry", entry, polarity), vocab)
            for adj in e.get("adj", []):
                plain, comp = forms(adj)
                for w in plain:
                    self._add(w, Hit("entry", entry), vocab)
                for w in comp:
                    self._add(w, Hit("entry", entry, +1), vocab)
            for w in e.get("more", []):
                self._add(w, Hit("entry", entry, +1), vocab)
            for w in e.get("less", []):
                self._add(w, Hit("entry", entry, -1), vocab)
            for w in e.get("context_words", []):  # "down" means looking down beside "eyes"
                self._add(w, Hit("entry", entry, CONTEXTUAL), vocab)

    def _add(self, phrase: str, hit: tuple, vocab: set[str]) -> None:
        toks = tuple(tokenize(phrase))
        if not toks:
            return
        vocab.update(toks)
        hits = self.phrases.setdefault(toks, [])
        if hit not in hits:
            hits.append(hit)

    # ------------------------------------------------------------------ lookups
    def norm(self, tok: str) -> str:
        """A note's word as the lexicon knows it: plural and possessive endings dropped."""
        if tok in self.known:
            return tok
        for suffix, repl in (("'s", ""), ("ies", "y"), ("es", ""), ("s", ""), ("en", ""), ("n", ""),
                             ("'", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
            if tok.endswith(suffix) and len(tok) > len(suffix) + 2:
                stem = tok[: len(tok) - len(suffix)] + repl
                if stem in self.known and not (suffix in ("ed", "ing") and self._a_place(stem)):
                    return stem
                if suffix == "en" and len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in self.known:
                    return stem[:-1]  # lippen → lip
        return tok

    def _a_place(self, word: str) -> bool:
        """A location ("park", "step"): its verb forms ("parked", "stepping") are not it."""
        hits = self.phrases.get((word,), ())
        return bool(hits) and all(h[0] == "entry" and h[1].slot == "background" for h in hits)

    def split_compounds(self, tokens: list[str]) -> list[str]:
        """Dutch writes compounds as one word ("strandachtergrond", "stadsachtergrond"):
        an unknown word made of two words that each name something in the lexicon
        (not grammar words: "uitstralen" is not "uit" + "stralen"), optionally joined by
        a linking s or e, is read as those two words. Nothing else is guessed."""
        out = []
        for tok in tokens:
            out += self._compound(tok) or [tok]
        return out

    def hoist_intensity(self, tokens: list[str]) -> list[str]:
        """"shoot from slightly below", "ogen iets meer open": intensity and more/less
        words said inside a phrase of the lexicon ("from below", "ogen open") are moved
        before it, so the phrase is found whole."""
        out = list(tokens)
        for i in range(1, len(out) - 1):
            for run in (2, 1):
                if not all(self._movable(t) for t in out[i:i + run]) or i + run >= len(out):
                    continue
                if self._hoist(out, i, run):
                    break
        return out

    def _movable(self, tok: str) -> bool:
        hits = self.phrases.get((tok,), ())
        return bool(hits) and all(h[0] in ("tiny", "slight", "strong", "more", "less") for h in hits)

    def _hoist(self, out: list[str], i: int, run: int) -> bool:
        for left in range(1, min(i, self.maxlen - 1) + 1):
            for right in range(1, min(len(out) - i - run, self.maxlen - left) + 1):
                words = out[i - left:i] + out[i + run:i + run + right]
                if any(self._movable(w) for w in words) or self._is_entry(out[i - left:i + run + right]) \
                        or not self._is_entry(words):
                    continue
                out[i - left:i + run + right] = out[i:i + run] + words
                return True
        return False

    def _is_entry(self, words: list[str]) -> bool:
        return any(h[0] == "entry" for h in self.phrases.get(tuple(self.norm(w) for w in words), ()))

    def _compound(self, tok: str) -> list[str] | None:
        if len(tok) < 7 or self.norm(tok) in self.known:
            return None
        for cut in range(len(tok) - 3, 2, -1):  # the longest head word first
            head = tok[cut:]
            if not self._names_a_thing(head):
                continue
            left = tok[:cut]
            for stem in (left, left[:-1] if left[-1:] in ("s", "e") else None):
                if stem and len(stem) >= 3 and self._names_a_thing(stem):
                    return [stem, head]
        return None

    def _names_a_thing(self, word: str) -> bool:
        hits = self.phrases.get((self.norm(word),), ())
        return bool(hits) and all(h[0] == "entry" for h in hits)

    def scan(self, tokens: list[str]) -> list[tuple[int, int, list[tuple] | None]]:
        """Split the words into phrases: (start, end, hits) per phrase, hits None for an
        unknown word and [] for punctuation. Fewest unknown words first ("de ogen open" is
        "de" + "ogen open", not "de ogen" + "open"), then fewest phrases, then the longest
        entry phrases, then the longest first phrase."""
        normed = [self.norm(t) for t in tokens]
        n = len(tokens)
        # best[i] = (unknown words, phrases, -extra words inside multi-word entries, length
        # of the first phrase) for tokens[i:]: "more" + "intense look" beats "more
        # intense" + "look", and "full body" + "shot" beats "full" + "body shot"
        best: list[tuple[int, int, int, int]] = [(0, 0, 0, 0)] * (n + 1)
        for i in range(n - 1, -1, -1):
            if tokens[i] in PUNCT:
                rest = best[i + 1]
                best[i] = (rest[0], rest[1] + 1, rest[2], 1)
                continue
            choice = None
            for length in range(min(self.maxlen, n - i), 0, -1):  # longest first wins ties
                hits = self.phrases.get(tuple(normed[i:i + length]))
                if hits:
                    rest = best[i + length]
                    inside = length - 1 if any(h[0] == "entry" for h in hits) else 0
                    if inside and normed[i] in self.filler_words:
                        inside -= 1  # "kill" "the" "hair light", not "the hair" "light"
                    cand = (rest[0], rest[1] + 1, rest[2] - inside, length)
                    if choice is None or cand[:3] < choice[:3]:
                        choice = cand
            if choice is None:  # an unknown word
                rest = best[i + 1]
                choice = (rest[0] + 1, rest[1] + 1, rest[2], 1)
            best[i] = choice
        out, i = [], 0
        while i < n:
            length = best[i][3]
            if tokens[i] in PUNCT:
                out.append((i, i + 1, []))
            else:
                out.append((i, i + length, self.phrases.get(tuple(normed[i:i + length]))))
            i += length
        return out

    def detect_language(self, tokens: list[str]) -> str:
        en, nl = self.vocab.get("en", set()), self.vocab.get("nl", set())
        score = 0
        for t in tokens:
            t = self.norm(t)
            score += (t in nl and t not in en) - (t in en and t not in nl)
        return "nl" if score > 0 else "en"

    def mentions(self, text: str) -> list[Entry]:
        """The entries a prompt term names, most specific (longest phrase) first."""
        found = []
        for start, end, hits in self.scan(tokenize(text)):
            for h in hits or []:
                if h[0] == "entry" and h[1].term is not None:
                    found.append((end - start, h[1]))
                    break
        found.sort(key=lambda x: -x[0])
        return [e for _, e in found]

    def classify_phrase(self, text: str, whole: bool = False) -> str | None:
        """The slot of a prompt phrase. With `whole`, only when the phrase is one entry of
        the lexicon from its first word to its last ("hands in pockets", "looking away")."""
        if not whole:
            return self.classify(text)
        tokens = tokenize(text)
        while tokens and tokens[0] in ("a", "an", "the", "een", "de", "het"):
            tokens = tokens[1:]
        if not tokens:
            return None
        hits = self.phrases.get(tuple(self.norm(t) for t in tokens), ())
        entries = [h for h in hits if h[0] == "entry" and h[2] != CONTEXTUAL and h[1].term is not None]
        if not entries or (len(tokens) == 1 and any(h[0] != "entry" for h in hits)):
            return None
        return entries[0][1].slot

    def classify(self, text: str) -> str | None:
        """The slot a prompt term belongs to, or None when the lexicon does not know it."""
        hits = [h for _, _, hs in self.scan(tokenize(text)) for h in hs or []
                if h[0] == "entry" and h[2] != CONTEXTUAL]  # "red" alone says no background
        slots = [h[1].slot for h in hits]
        nouns = [h[1].slot for h in hits if h[2] == NOUN]
        if nouns:
            return nouns[-1]  # "soft window light": the head noun decides
        return slots[0] if slots else None


# Determiners that can stand for one another inside a phrase: "behind her ears" is also
# said "behind the ears"; "in het haar" also "in haar haar", "in je haar".
DETERMINERS = {"en": ("the", "her", "his", "your"), "nl": ("de", "het", "haar", "je", "zijn")}


def _determiner_variants(toks: list[str], lang: str) -> list[str]:
    dets = DETERMINERS.get(lang, ())
    at = [i for i, t in enumerate(toks) if t in dets and 0 < i < len(toks) - 1]
    if len(toks) < 3 or len(at) != 1:
        return [" ".join(toks)]
    i = at[0]
    return [" ".join(toks)] + [" ".join(toks[:i] + [d] + toks[i + 1:]) for d in dets if d != toks[i]]


def _comparatives(doc: dict, e: dict) -> list[str]:
    forms = inflect.dutch if doc["language"] == "nl" else inflect.english
    out = [w for adj in e.get("adj", []) for w in forms(adj)[1]]
    return out + [w for w in e.get("more", []) if " " not in w]


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The compiled lexicon, built from the packaged JSON once per process.

    Compiling takes about 60 ms, so nothing is cached on disk: an earlier cache was a
    pickle in the user's cache folder, and unpickling a file anyone can write there runs
    their code. Only the lexicon files inside the package are read."""
    return Lexicon([json.loads(p.read_bytes()) for p in sorted(resource("lexicons").glob("*.json"))])
