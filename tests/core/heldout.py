"""Held-out measurement: `python -m tests.core.heldout [--misses]` prints JSON accuracy.

data/notes_heldout.jsonl: set-side notes written the way crews talk (not from the
lexicon), each with its batch, language and what it should do: slot, sign (``+``, ``-``,
``=``; ``a|b`` accepts either), a regular expression for the term, or "not-understood"
for chatter. ``expect_any`` lists alternative readings; ``prompt`` gives the brief the
note edits, and ``after`` / ``after_not`` are expressions the rendered prompt after the
edit must (not) match ("make the coat navy" leaves no camel in the prompt).

data/prompts_heldout.jsonl: fashion prompts in both weight syntaxes; each expected
phrase must land in one of its slots (``a|b``) with its weight, in a term that holds no
other expected phrase of another slot (so a phrase is not right by being swallowed whole).

A batch is written before anything is tuned to it; its first-try figures are recorded in
docs/ARCHITECTURE.md. The figures are measured, never asserted by the test suite beyond
what tests/core/test_heldout.py keeps.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).parent / "data"
NOTES = HERE / "notes_heldout.jsonl"
PROMPTS = HERE / "prompts_heldout.jsonl"

INTENSITY = {
    "en": ["smile a tiny bit more", "smile a bit more", "smile more", "smile much more"],
    "nl": ["lach een heel klein beetje meer", "lach iets meer", "lach meer", "lach veel meer"],
}


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _key(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def judge_note(case: dict) -> tuple[bool, str]:
    """(right, what happened) for one held-out note."""
    from app.core.brief import Brief
    from app.core.interpret import interpret
    from app.core.slots import SIGN

    before = Brief.from_prompt(case.get("prompt", ""))
    result = interpret(case["note"], before)
    got = [(e.slot, SIGN[e.op], e.term) for e in result.edits]
    seen = f"{result.language} {result.understood} {got} | {result.message[:90]}"
    if case["expect"] == "not-understood":
        return (not result.understood and not result.edits), seen
    if not result.understood or result.language != case.get("lang", "en"):
        return False, seen
    readings = case.get("expect_any") or [case["expect"]]
    after = result.apply(before).render()[0]
    for want in readings:
        if len(want) != len(got):
            continue
        if all(g[0] in w["slot"].split("|") and g[1] in w["sign"].split("|") and re.search(w["term"], g[2])
               for g, w in zip(got, want)):
            if case.get("after_not") and re.search(case["after_not"], after):
                return False, seen + f" | after: {after}"
            if case.get("after") and not re.search(case["after"], after):
                return False, seen + f" | after: {after}"
            return True, seen
    return False, seen


def judge_prompt(case: dict) -> list[tuple[bool, str]]:
    from app.core.brief import Brief

    brief = Brief.from_prompt(case["prompt"], syntax=case.get("syntax", "auto"))
    terms = [(s, t) for s, ts in brief.slots.items() for t in ts]
    out = []
    for want in case["expect"]:
        slots, k = want["slot"].split("|"), _key(want["text"])
        others = [_key(o["text"]) for o in case["expect"]
                  if o is not want and not set(o["slot"].split("|")) & set(slots)]
        ok = False
        for slot, t in terms:
            tk = f" {_key(t.text)} "
            if f" {k} " in tk and slot in slots and abs(t.weight - want["weight"]) < 0.006 \
                    and not any(f" {o} " in tk for o in others):
                ok = True
        where = [(s, t.text, t.weight) for s, t in terms if f" {k} " in f" {_key(t.text)} "]
        out.append((ok, f"{want['text']!r} → want {want['slot']} {want['weight']}, got {where}"))
    return out


def intensity_ok() -> dict:
    from app.core.interpret import interpret

    out = {}
    for lang, notes in INTENSITY.items():
        deltas = []
        for n in notes:
            r = interpret(n)
            deltas.append(r.edits[0].delta if r.understood and len(r.edits) == 1 else None)
        out[lang] = all(d is not None for d in deltas) and all(a < b for a, b in zip(deltas, deltas[1:]))
    return out


def score(misses: bool = False) -> dict:
    tally: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    chatter_understood = 0
    for case in load(NOTES):
        ok, seen = judge_note(case)
        b, lang = str(case.get("batch", 1)), case.get("lang", "en")
        for k in (lang, "all"):
            tally[b][k][0] += ok
            tally[b][k][1] += 1
        if case["expect"] == "not-understood" and not ok:
            chatter_understood += 1
        if misses and not ok:
            print(f"MISS b{b} {lang}: {case['note']!r}: {seen}", file=sys.stderr)
    ptally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in load(PROMPTS):
        for ok, seen in judge_prompt(case):
            b = str(case.get("batch", 1))
            ptally[b][0] += ok
            ptally[b][1] += 1
            if misses and not ok:
                print(f"MISS prompt b{b}: {seen}", file=sys.stderr)

    def acc(r):
        return {"right": r[0], "of": r[1], "accuracy": round(r[0] / r[1], 3) if r[1] else None}

    return {
        "notes": {b: {k: acc(r) for k, r in sorted(per.items())} for b, per in sorted(tally.items())},
        "prompts": {b: acc(r) for b, r in sorted(ptally.items())},
        "chatter_understood": chatter_understood,
        "intensity_monotonic": intensity_ok(),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", action="store_true", help="list the misses on stderr")
    args = ap.parse_args(argv)
    print(json.dumps(score(args.misses), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
