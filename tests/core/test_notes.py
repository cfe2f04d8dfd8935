"""Direction notes → edits, judged the way the studio is judged: for each note the right
slot, direction and term, and nothing else touched.

notes_dev.jsonl is the shared development set; data/notes_extra.jsonl is our own broader
set of phrasings (English and Dutch, every slot) that the lexicon was not written from.
"""

import json
import re
from pathlib import Path

import pytest

from app.core.interpret import EmptyNote, interpret
from app.core.slots import SIGN

HERE = Path(__file__).parent
DEV = HERE.parents[2] / "shared" / "eval" / "notes_dev.jsonl"  # beside the checkout
EXTRA = HERE / "data" / "notes_extra.jsonl"


def load(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def check(case):
    expect = case["expect"]
    if expect == "error":
        with pytest.raises(EmptyNote):
            interpret(case["note"])
        return
    result = interpret(case["note"])
    if expect == "not-understood":
        assert not result.understood and result.edits == [], result.message
        assert result.message
        return
    assert result.understood, result.message
    got = [(e.slot, SIGN[e.op], e.term) for e in result.edits]
    assert len(got) == len(expect), f"{case['note']!r}: {got}"
    for (slot, sign, term), want in zip(got, expect):
        assert slot == want["slot"], f"{case['note']!r}: {got}"
        assert sign == want["sign"].replace("−", "-"), f"{case['note']!r}: {got}"
        assert re.search(want["term"], term), f"{case['note']!r}: {got}"
    assert result.language == case.get("lang", "en")


dev_cases = load(DEV) if DEV.exists() else []


@pytest.mark.skipif(not DEV.exists(), reason="shared/eval/notes_dev.jsonl is not beside this checkout")
@pytest.mark.parametrize("case", dev_cases, ids=[c["note"] or "<empty>" for c in dev_cases])
def test_dev_notes(case):
    check(case)


extra_cases = load(EXTRA)


@pytest.mark.parametrize("case", extra_cases, ids=[c["note"].strip() or "<blank>" for c in extra_cases])
def test_extra_notes(case):
    check(case)


def test_extra_set_covers_every_slot_in_both_languages():
    from app.core.slots import SLOTS

    seen = {"en": set(), "nl": set()}
    for case in extra_cases:
        if isinstance(case["expect"], list):
            seen[case.get("lang", "en")].update(x["slot"] for x in case["expect"])
    assert seen["en"] == set(SLOTS)
    assert seen["nl"] == set(SLOTS)
    assert len(extra_cases) >= 150
