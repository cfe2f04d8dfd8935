"""Applying edits: bounds, intensity, repetition, cancellation, removal, replacement."""

import pytest
from hypothesis import given, settings, strategies as st

from app.core.brief import Brief
from app.core.edits import MAX_WEIGHT, MIN_WEIGHT, Edit, apply_edits
from app.core.interpret import interpret


def run(note, brief):
    result = interpret(note, brief)
    assert result.understood, result.message
    return result, apply_edits(brief, result.edits)


def weight(brief, slot, text):
    return next((t.weight for t in brief.slots[slot] if t.text == text), 0.0)


INTENSITY_LADDERS = [
    # weaker → stronger; each must move the term strictly further than the one before
    ["smile a tiny bit more", "smile a bit more", "smile more", "smile much more"],
    ["a tiny bit warmer light", "slightly warmer light", "warmer light", "way warmer light"],
    ["a little less makeup", "less makeup", "a lot less makeup"],
    ["a little less serious", "less serious", "much less serious"],
    ["een heel klein beetje meer volume", "een beetje meer volume", "meer volume", "veel meer volume"],
    ["lach een tikje meer", "lach meer", "lach flink meer"],
    ["iets minder make-up", "minder make-up", "een stuk minder make-up"],
    ["wat zachter licht", "zachter licht", "veel zachter licht"],
]


@pytest.mark.parametrize("ladder", INTENSITY_LADDERS, ids=lambda l: l[-1])
@pytest.mark.parametrize("prompt", ["", "a woman, smiling, serious, makeup, warm light, voluminous hair, soft light"])
def test_stronger_words_give_larger_changes(ladder, prompt):
    brief = Brief.from_prompt(prompt)
    deltas = []
    for note in ladder:
        result = interpret(note, brief)
        assert result.understood and len(result.edits) == 1, (note, result.message)
        deltas.append(abs(result.edits[0].delta))
    assert deltas == sorted(deltas) and len(set(deltas)) == len(deltas), list(zip(ladder, deltas))


def test_design_example_message():
    result, after = run("lach iets meer", Brief.from_prompt("a woman, smiling"))
    assert result.message == "expression: smiling 1.0 → 1.1"
    assert result.edits[0].to_dict() == {"slot": "expression", "op": "increase", "term": "smiling",
                                         "weight_before": 1.0, "weight_after": 1.1, "delta": 0.1}
    assert after.render()[0] == "a woman, (smiling)1.1"


@pytest.mark.parametrize("prompt", ["", "a woman, smiling"])
def test_same_note_twice_strengthens_again(prompt):
    brief = Brief.from_prompt(prompt)
    _, once = run("smile more", brief)
    _, twice = run("smile more", once)
    assert weight(twice, "expression", "smiling") > weight(once, "expression", "smiling") > weight(brief, "expression", "smiling")


def test_stale_edits_applied_again_still_strengthen():
    brief = Brief.from_prompt("a woman, smiling")
    edits = interpret("smile more", brief).edits
    once = apply_edits(brief, edits)
    twice = apply_edits(once, edits)
    assert weight(twice, "expression", "smiling") == pytest.approx(1.4)


@pytest.mark.parametrize("note,opposite", [
    ("smile more", "smile less"),
    ("much warmer light", "much cooler light"),
    ("more contrast", "less contrast"),
    ("less makeup", "more makeup"),
    ("lach meer", "lach minder"),
    ("a bit airier hair", "a bit less airy hair"),
    ("warmere kleuren", "koelere kleuren"),
])
@pytest.mark.parametrize("prompt", ["", "portrait of a woman, smiling, makeup, warm light, high contrast"])
def test_opposite_notes_cancel(note, opposite, prompt):
    brief = Brief.from_prompt(prompt)
    _, there = run(note, brief)
    assert there.render() != brief.render()
    _, back = run(opposite, there)
    assert back.render() == brief.render()


def test_weights_stay_within_bounds():
    brief = Brief.from_prompt("a woman, smiling, serious")
    for _ in range(12):
        _, brief = run("smile much more and much less serious", brief)
    assert weight(brief, "expression", "smiling") == MAX_WEIGHT
    assert weight(brief, "expression", "serious") == MIN_WEIGHT
    positive, _ = brief.render()
    assert "(smiling)1.6" in positive and "(serious)0.5" in positive


def test_remove_takes_term_out_and_into_the_negative():
    brief = Brief.from_prompt("a woman, gold jewelry, (sunglasses)1.2", "blurry")
    result, after = run("no jewelry and lose the sunglasses", brief)
    assert [(e.op, e.term, e.weight_before, e.weight_after) for e in result.edits] == [
        ("remove", "gold jewelry", 1.0, -1.0), ("remove", "sunglasses", 1.2, -1.0)]
    positive, negative = after.render()
    assert positive == "a woman"
    assert negative == "blurry, gold jewelry, sunglasses"


def test_gaze_removal_does_not_fill_the_negative():
    _, after = run("don't look at the camera", Brief.from_prompt("a woman, looking at the camera"))
    assert after.render() == ("a woman", "")


def test_set_replaces_the_slot_in_place():
    brief = Brief.from_prompt("a woman, city street background, soft light")
    result, after = run("make the background plain white", brief)
    (edit,) = result.edits
    assert edit.op == "set" and edit.replaced == ("city street background",)
    assert after.render()[0] == "a woman, plain white background, soft light"
    assert "replaces city street background" in result.message


def test_new_terms_join_their_slot_and_keep_the_prompt_order():
    brief = Brief.from_prompt("smiling, a woman in a red dress, soft light, 85mm")
    _, after = run("add a rim light", brief)
    assert after.render()[0] == "smiling, a woman in a red dress, soft light, rim light, 85mm"


def test_apply_edits_is_pure():
    brief = Brief.from_prompt("a woman, smiling")
    before = brief.to_dict()
    apply_edits(brief, interpret("smile more, no jewelry", brief).edits)
    assert brief.to_dict() == before


def test_edit_round_trips_through_dict():
    edit = Edit("makeup", "decrease", "makeup", 1.0, 0.8)
    assert Edit.from_dict(edit.to_dict()) == edit
    assert edit.delta == pytest.approx(-0.2)
    with pytest.raises(ValueError):
        Edit("shoes", "increase", "x", 0.0, 1.0)
    with pytest.raises(ValueError):
        Edit("hair", "twist", "x", 0.0, 1.0)


def _with_intensity(note, weak, strong):
    """The note with an intensity word put before its first more/less word."""
    words = note.split()
    for i, w in enumerate(words):
        if w.lower().strip(",.!?") in ("more", "less", "meer", "minder"):
            en = w.lower() in ("more", "less")
            return (" ".join(words[:i] + [weak[not en]] + words[i:]),
                    " ".join(words[:i] + [strong[not en]] + words[i:]))
    return None


def _single_change(note, brief):
    result = interpret(note, brief)
    if result.understood and len(result.edits) == 1 and result.edits[0].op in ("increase", "decrease"):
        return abs(result.edits[0].delta)
    return None


def _has_intensity(note):
    from app.core.lexicon import load_lexicon, tokenize

    lex = load_lexicon()
    return any(h[0] in ("tiny", "slight", "strong") for _, _, hits in lex.scan(tokenize(note))
               for h in hits or [])


def test_intensity_is_monotonic_across_the_held_out_notes():
    from tests.core.test_notes import extra_cases

    brief = Brief.from_prompt("")
    checked = 0
    for case in extra_cases:
        note = case["note"]
        if not isinstance(case["expect"], list) or len(case["expect"]) != 1 or _has_intensity(note) \
                or any(sep in f" {note} " for sep in (",", " and ", " en ", " but ", " maar ")):
            continue  # one clause only: a repeated direction keeps its larger step
        variants = _with_intensity(note, ("a bit", "iets"), ("much", "veel"))
        plain = _single_change(note, brief)
        if not variants or plain is None:
            continue
        weak, strong = (_single_change(v, brief) for v in variants)
        assert weak is not None and strong is not None, (note, variants)
        assert weak < plain < strong, (note, weak, plain, strong)
        checked += 1
    assert checked >= 40


NOTE_POOL = [
    "smile more", "smile much less", "no jewelry", "add earrings", "warmer light", "much cooler light",
    "plain white background", "full body shot", "a bit more volume", "hair up in a bun", "no makeup",
    "more makeup", "lach iets meer", "geen sieraden", "zachter licht", "minder contrast", "more contrast",
    "lose the sunglasses", "give her sunglasses", "stop smiling", "way more drama", "less grain",
]


@settings(max_examples=120, deadline=None)
@given(st.lists(st.sampled_from(NOTE_POOL), min_size=1, max_size=12),
       st.sampled_from(["", "a woman, (smiling)1.5, gold jewelry, soft light", "portrait, (makeup)0.6"]))
def test_any_sequence_of_notes_keeps_weights_in_bounds_and_prompts_readable(notes, prompt):
    brief = Brief.from_prompt(prompt, "blurry")
    for note in notes:
        brief = interpret(note, brief).apply(brief)
    for term in [t for ts in brief.slots.values() for t in ts] + brief.negative:
        assert MIN_WEIGHT <= term.weight <= MAX_WEIGHT, term
    positive, negative = brief.render()
    again = Brief.from_prompt(positive, negative)
    assert sorted((t.text, t.weight) for ts in again.slots.values() for t in ts) == \
        sorted((t.text, t.weight) for ts in brief.slots.values() for t in ts)
    assert [(t.text, t.weight) for t in again.negative] == [(t.text, t.weight) for t in brief.negative]


def test_the_intensity_ladder_raises_an_absent_term_in_order_in_both_languages():
    # "een heel klein beetje meer" is "tiny" + "more": it raises the term, by less than "iets meer"
    ladders = [["a tiny bit more blush", "a bit more blush", "more blush", "much more blush"],
               ["een heel klein beetje meer blos", "iets meer blos", "meer blos", "veel meer blos"]]
    for notes in ladders:
        edits = [interpret(n, Brief.from_prompt("")).edits for n in notes]
        assert all(len(e) == 1 and e[0].op == "increase" for e in edits), edits
        deltas = [e[0].delta for e in edits]
        assert deltas == sorted(set(deltas)) and len(deltas) == 4, deltas


def _after(prompt: str, note: str) -> str:
    from app.core.brief import Brief
    from app.core.edits import apply_edits
    from app.core.interpret import interpret

    brief = Brief.from_prompt(prompt)
    return apply_edits(brief, interpret(note, brief).edits).render()[0]


def test_set_replaces_only_its_own_kind():
    prompt = "a woman in a red coat, close-up, neutral expression, studio light"
    assert _after(prompt, "low angle") == "a woman in a red coat, close-up, low angle, neutral expression, studio light"
    assert _after(prompt, "make it a full body shot") == (
        "a woman in a red coat, full body shot, neutral expression, studio light")


def test_a_smile_takes_the_neutral_expressions_place():
    prompt = "a woman in a red coat, neutral expression, studio light"
    out = _after(prompt, "smile a bit more")
    assert "neutral" not in out and out.startswith("a woman in a red coat, (smiling)") and out.endswith("studio light")
    # other slots keep both: a new accessory never pushes another out
    assert "scarf" in _after("a woman with a scarf", "add earrings")
