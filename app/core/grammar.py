"""The small grammar on top of the lexicon: a note → clauses → directions.

A note splits into clauses at punctuation and conjunctions ("and", "but", "en", "maar").
In each clause the lexicon finds mentions (an entry: slot + term) and markers (more, less,
intensity, negation, removal, set, add). Each marker belongs to the nearest mention
(the next one on a tie), and together they give the mention an operation and a step.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from app.core.edits import STEPS
from app.core.lexicon import CONTEXTUAL, NOUN, Entry, Lexicon, tokenize
from app.core.slots import SIGN

INTENSITY = ("tiny", "slight", "strong")
MODERATION = INTENSITY + ("too", "too_any", "negation", "less", "set")  # "but not too much", "only a bit"
DIRECTION = {"more": +1, "less": -1}
INHERITING_CONJ = {"and", "or", "nor", "en", "of", "noch"}



@dataclass
class Direction:
    entry: Entry
    op: str
    step: float
    words: str  # the words of the note it came from
    bare: bool = False  # no word said how: the entry's own operation
    term: str | None = None  # a term built from two words ("silk dress"), else the entry's


@dataclass
class Clause:
    words: list[str]
    # (start, end, candidate entries, their polarities): "light" may be lighting or hair
    mentions: list[tuple[int, int, list[Entry], list[int]]] = field(default_factory=list)
    markers: list[tuple[int, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    known: int = 0
    conj: str | None = None  # the conjunction word that opened this clause
    directions: list[Direction] = field(default_factory=list)
    compound: dict[int, str] = field(default_factory=dict)  # mention start → "silk dress"
    echoed: bool = False  # understood, but asks for nothing new (a repeat, or "keep the hat")

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def understood(self) -> bool:
        return (bool(self.directions) or self.echoed) and len(self.unknown) <= max(1, self.known // 2)


def analyse(note: str, lex: Lexicon) -> list[Clause]:
    tokens = lex.hoist_intensity(lex.split_compounds(tokenize(note)))
    clauses = [Clause([])]
    for start, end, hits in lex.scan(tokens):
        words = tokens[start:end]
        cur = clauses[-1]
        if hits == []:  # punctuation
            if cur.words:
                clauses.append(Clause([]))
            continue
        if hits is None:
            cur.words += words
            cur.unknown += words
            continue
        kinds = {h[0] for h in hits}
        if "conj" in kinds and len(kinds) == 1:
            clauses.append(Clause([], conj=" ".join(words)))
            continue
        pos = len(cur.words)
        cur.words += words
        cur.known += len(words) if set(h[0] for h in hits) != {"filler"} else 0
        entries = [h for h in hits if h[0] == "entry"]
        markers = [h[0] for h in hits if h[0] not in ("entry", "conj", "filler")]
        if entries:
            cur.mentions.append((pos, pos + len(words), [h[1] for h in entries], [h[2] for h in entries]))
            # a word that is both ("softer" light, softer makeup) is decided in _resolve
            cur.markers += [(pos, "alt:" + kind) for kind in markers]
        else:
            cur.markers += [(pos, kind) for kind in markers]
    clauses = [c for c in clauses if c.words]
    previous: Clause | None = None
    pending: Clause | None = None  # an intensity said before its direction
    topic: set[str] = set()
    for i, c in enumerate(clauses):
        # "looser, more natural pose": a clause without a slot word borrows the next one's
        nxt = clauses[i + 1] if i + 1 < len(clauses) and clauses[i + 1].conj is None else None
        ahead = _nouns(nxt) | {es[0].slot for _, _, es, _ in nxt.mentions if len(es) == 1} if nxt else set()
        behind = {d.entry.slot for d in previous.directions} if previous is not None else set()
        _resolve(c, topic, ahead, behind)
        topic = set()
        if not c.directions and not c.unknown and c.mentions:
            topic = _nouns(c)
        if previous is not None and c.directions and c.conj in INHERITING_CONJ:
            _inherit(c, previous)
        if pending is not None and c.directions:  # "a subtle, closed-mouth smile"
            _restep(c, pending, ops=("add", "increase", "decrease"))
            pending.echoed, pending = True, None
        if not c.mentions and not c.unknown and c.markers and all(k in MODERATION for _, k in c.markers):
            if previous is not None:
                _restep(previous, c)  # "warmer light, but only a bit", "but not too much"
                c.echoed = True
            else:
                pending = c  # understood only if a direction follows
        if c.directions:
            previous = c
    _merge_repeats(clauses)
    return clauses


def _nouns(c: Clause) -> set[str]:
    return {e.slot for _, _, es, pols in c.mentions for e, pol in zip(es, pols) if pol == NOUN}


def _said(pol: int) -> bool:
    """The words themselves say more or less ("softer")."""
    return pol in (1, -1)


def _merge_repeats(clauses: list[Clause]) -> None:
    """"darker, moodier lighting": one direction said twice is one edit, at the larger step."""
    seen: dict[tuple, Direction] = {}
    for c in clauses:
        kept = []
        for d in c.directions:
            k = (d.entry, SIGN[d.op])
            if k in seen:
                seen[k].step = max(seen[k].step, d.step)
                c.echoed = True
            else:
                seen[k] = d
                kept.append(d)
        c.directions = kept


def _resolve(c: Clause, topic: set[str], ahead: set[str], behind: set[str] = frozenset()) -> None:
    """Give each mention of the clause an entry, an operation and a step."""
    nouns = _nouns(c) | topic
    markers = [(p, k) for p, k in c.markers if not k.startswith("alt:")]
    chosen: list[tuple[int, Entry, int]] = []
    for start, end, entries, polarities in c.mentions:
        # slots the rest of the clause is clearly about ("bigger smile": expression)
        context = nouns | {es[0].slot for s, _, es, _ in c.mentions if s != start and len(es) == 1}
        fit = [e for e in entries if e.slot in nouns] or [e for e in entries if e.slot in context] \
            or [e for e in entries if e.slot in ahead and not nouns] \
            or [e for e in entries if e.slot in behind and not nouns]  # "crisp and clean"
        alts = [k[4:] for p, k in c.markers if p == start and k.startswith("alt:")]
        others = context - {e.slot for e in entries}
        if alts and not fit and others:
            markers.append((start, alts[0]))  # "softer makeup": softer says less, not soft light
            continue
        entry = (fit or entries)[0]
        polarity = polarities[entries.index(entry)]
        if polarity == CONTEXTUAL:
            if entry.slot not in context:  # "down" says "looking down" only beside "eyes", "kijk"
                markers += [(start, kind) for kind in alts[:1]]  # "lower" stays "less"
                continue
            polarity = 0
        chosen.append((start, entry, polarity))
    chosen = _modifiers(c, chosen, markers)
    # a slot named by a specific entry needs no bare noun ("makeup" in "smoky eye makeup"),
    # and a noun right after another slot's word is only that phrase's head
    # ("romantic lighting" is about the mood, not about more light)
    specific = {e.slot for _, e, pol in chosen if pol != NOUN}
    start_before = {end: start for start, end, _, _ in c.mentions}  # mention ending here
    after_specific = {s for s, e, pol in chosen if pol == NOUN and s in start_before
                      and any(x[0] == start_before[s] and x[2] != NOUN for x in chosen)}
    # "more colour on the lips": colour is what the lips get, not a colour grade
    objects = specific & (OBJECT_SLOTS | {"makeup"})
    picked: list[tuple[int, Entry, int]] = []
    for start, e, pol in chosen:
        if e.term is None or (pol == NOUN and (e.slot in specific or start in after_specific
                                          or (e.slot == "color" and objects))):
            continue
        twin = next((n for n, (_, x, _) in enumerate(picked) if x is e), None)
        if twin is None:
            picked.append((start, e, pol))
        elif _said(pol) and not _said(picked[twin][2]):  # "schaduwen iets opvullen": the form that says how
            picked[twin] = (picked[twin][0], e, pol)
    if not picked:
        return
    slot_words = {s for s, _, pol in picked if pol == NOUN}
    picked = [(s, e, pol if _said(pol) else 0) for s, e, pol in picked]
    attached: dict[int, list[str]] = {i: [] for i in range(len(picked))}
    target: int | None = None  # the mention a set marker chose ("replace the bun with a ponytail")
    owner: dict[int, int] = {}  # marker position → the mention it went to
    for pos, kind in markers:
        if kind == "too" and not any(s > pos for s, _, _ in picked) \
                and not any(p > pos and k in DIRECTION for p, k in markers):
            continue  # "add earrings too": also, not too much (but "the makeup is too heavy")
        if kind == "too_any":  # Dutch "te" is always "too": "ze lacht te geforceerd"
            kind = "too"
        if kind == "set":  # "change the dress to a suit": the new value comes last
            best = target = len(picked) - 1
        elif kind == "set_before":  # "a ponytail instead of the bun"
            best = target = max((i for i, p in enumerate(picked) if p[0] < pos), default=0)
            kind = "set"
        elif kind == "state" and any(p[0] > pos for p in picked):  # "the knit looks too bulky"
            best = min((i for i, p in enumerate(picked) if p[0] > pos), key=lambda i: picked[i][0])
        else:
            best = min(range(len(picked)), key=lambda i: (abs(picked[i][0] - pos), picked[i][0] < pos))
        owner[pos] = best
        attached[best].append(kind)
    # "make the suit a bit more oversized": an intensity goes with its "more", not with
    # the nearest word
    for pos, kind in markers:
        if kind in INTENSITY:
            partner = next((p for p, k in markers if k in DIRECTION and 0 < p - pos <= 2), None)
            if partner is not None and owner[partner] != owner[pos]:
                attached[owner[pos]].remove(kind)
                attached[owner[partner]].append(kind)
    # "more movement in the dress": the directed mention speaks for its slot, the bare
    # one only says where
    # ("iets losser staan": how she stands, not a new pose)
    directed = {e.slot for i, (_, e, pol) in enumerate(picked) if pol or attached[i]} & (OBJECT_SLOTS | {"makeup", "pose"})
    keep = [i for i, (_, e, pol) in enumerate(picked)
            if pol or attached[i] or e.slot not in directed]
    # "unbutton the shirt": two bare garment words in one clause name one thing; the
    # first says what to do with it
    first_bare = {}
    for i in list(keep):
        _, e, pol = picked[i]
        if e.slot in OBJECT_SLOTS and not pol and not attached[i] and e.bare == "add":
            if e.slot in first_bare:
                keep.remove(i)
            first_bare.setdefault(e.slot, i)
    picked = [picked[i] for i in keep]
    target = keep.index(target) if target in keep else None
    attached = {n: attached[i] for n, i in enumerate(keep)}
    replaced: set[str] = {picked[target][1].slot} if target is not None else set()
    if any("keep" in kinds for kinds in attached.values()):
        c.echoed = True  # "but keep the sunglasses": understood, nothing to change
        return
    for i, (start, entry, pol) in enumerate(picked):
        if start in slot_words and not attached[i]:
            continue  # "turn her head towards the light": naming a slot asks for nothing
        op, step = _operation(entry, pol, attached[i])
        bare = not pol and not any(k not in INTENSITY for k in attached[i])
        if op == "set" and i != target:
            if entry.slot in replaced:  # "look away from the camera": the first value wins
                continue
            replaced.add(entry.slot)
        c.directions.append(Direction(entry, op, step, c.text, bare, c.compound.get(start)))


OBJECT_SLOTS = {"garment", "accessories"}
COMPOUND_SLOTS = OBJECT_SLOTS | {"hair"}
DESCRIBED_SLOTS = OBJECT_SLOTS | {"expression", "hair", "makeup"}  # "a relaxed smile"


def _modifiers(c: Clause, chosen: list[tuple[int, Entry, int]], markers: list) -> list:
    """Two neighbouring single words where one only describes the other.

    "a black blazer", "a relaxed smile": a word right before a garment, an accessory, an
    expression, hair or makeup describes it (no black background, no relaxed pose). A
    comparative next to another slot's word says "more" of that ("a warmer smile", "smile
    wider"). A value's describing word belongs to the value ("a sleek low bun", "a soft
    beige background"). Two garment or hair words are one term ("a silk dress")."""
    ends = {start: end for start, end, _, _ in c.mentions}
    out = []
    for i, (start, e, pol) in enumerate(chosen):
        if e is None:
            continue  # taken as a marker by the word before it
        nxt = chosen[i + 1] if i + 1 < len(chosen) else None
        adjacent = (nxt and NOUN not in (pol, nxt[2]) and e.term and nxt[1].term and ends.get(start) == nxt[0]
                    and ends[start] - start == 1 and not any(p == start for p, _ in markers))
        if adjacent and e.slot != nxt[1].slot and (nxt[1].slot in DESCRIBED_SLOTS or pol == 1):
            if pol == 1:  # "a warmer smile" too
                markers.append((start, "more"))
            continue
        if adjacent and e.slot == nxt[1].slot and e.bare != "set" == nxt[1].bare and not _said(pol):
            continue  # "a sleek low bun": the word describes the new value
        if adjacent and e.slot != nxt[1].slot and e.slot in DESCRIBED_SLOTS and not _said(pol) \
                and nxt[2] == 1 and ends[nxt[0]] - nxt[0] == 1:
            markers.append((nxt[0], "more"))  # "smile wider": wider says more of the smile
            out.append((start, e, pol))
            chosen[i + 1] = (nxt[0], None, 0)
            continue
        if adjacent and e.slot != nxt[1].slot and nxt[1].slot in ("background", "framing") \
                and nxt[1].bare == "set" and ends[start] - start == 1:
            continue  # "a soft beige background": soft says which beige
        if adjacent and e.slot == nxt[1].slot == "background" and e.bare == nxt[1].bare == "set" \
                and not _said(pol):
            continue  # "a seamless white backdrop": the last word is the value
        if adjacent and e.slot == nxt[1].slot == "quality" and pol == 1 and not _said(nxt[2]):
            markers.append((start, "more"))  # "sharper details": more of the details
            continue
        if adjacent and e.slot == nxt[1].slot and not _said(pol) and _said(nxt[2]):
            continue  # "maak de lippen roder": the thing, then how it should change
        if adjacent and e.slot == nxt[1].slot != "pose" and pol == 1 and nxt[1].bare == "set":
            continue  # "a lighter grey background": the value is what is asked for
        if adjacent and e.slot == nxt[1].slot in ("expression", "makeup") and not _said(pol) \
                and not _said(nxt[2]) and e.bare == nxt[1].bare == "add":
            continue  # "a gentle smile": the smile is what is asked for
        if adjacent and e.slot == nxt[1].slot in COMPOUND_SLOTS and not _said(pol) \
                and not _said(nxt[2]) and "set" not in (e.bare, nxt[1].bare):
            head = nxt[1].term.split()[-1]  # "messy hair" + "wavy hair" → "messy wavy hair"
            first = e.term[: -len(head) - 1] if e.term.endswith(" " + head) else e.term
            c.compound[nxt[0]] = f"{first} {nxt[1].term}"  # "a silk dress": one thing
            continue
        out.append((start, e, pol))
    return out


def _operation(entry: Entry, polarity: int, kinds: list[str]) -> tuple[str, float]:
    level = next((k for k in reversed(kinds) if k in INTENSITY), "plain")
    step = STEPS[level]
    # "too heavy", "te zwaar": the word after "too" is what there is too much of
    # "minder zwaar", "less strong": with "less" too, such a word names the dimension
    said = [k for k in kinds if k in DIRECTION and not (k == "more" and ("too" in kinds or "less" in kinds))]
    direction = polarity + sum(DIRECTION[k] for k in said) - kinds.count("too")
    if not direction and "state" in kinds and entry.bare != "set" and "negation" not in kinds:
        direction = -1  # "she looks stiff", "the background is busy": a complaint
    if "removal" in kinds:
        return "remove", STEPS["plain"]
    if "negation" in kinds:
        # "not so warm", "niet warmer", "don't smile so much" lower; "no jewelry" removes
        weaker = polarity or "less" in kinds or "too" in kinds or level != "plain"
        return ("decrease", step) if weaker else ("remove", STEPS["plain"])
    if direction:
        op = "increase" if direction > 0 else "decrease"
        if op == "increase" and entry.comparative == "set":
            return "set", STEPS["plain"]
        return op, step
    if "set" in kinds:
        return "set", step
    if "add" in kinds:  # adding a hairstyle or a background replaces the one there
        return ("set" if entry.bare == "set" else "add"), step
    return entry.bare, step


def _inherit(c: Clause, previous: Clause) -> None:
    """"less makeup and jewelry": the second mention takes the first one's direction."""
    model = previous.directions[-1]
    if model.op in ("set", "add"):
        return
    c.directions = [replace(d, op=model.op, step=model.step, bare=False)
                    if d.bare and d.entry.bare != "set" and not _is_action(d.entry) else d
                    for d in c.directions]


def _is_action(entry: Entry) -> bool:
    """"less makeup and smile": smiling, looking, walking are directions of their own."""
    return entry.term.split()[0].endswith("ing")


def _restep(target: Clause, c: Clause, ops: tuple[str, ...] = ("increase", "decrease")) -> None:
    """Give the target clause's directions the intensity that clause `c` says."""
    levels = [k for _, k in c.markers if k in INTENSITY]
    step = STEPS[levels[-1]] if levels else STEPS["slight"]  # "not too much": a bit
    target.directions = [replace(d, step=step) if d.op in ops else d for d in target.directions]
