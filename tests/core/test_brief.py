"""Briefs: slots from a prompt, rendering in compel syntax, storage as JSON."""

import json

import pytest

from app.core.brief import Brief, detect_syntax, split_terms
from app.core.slots import OPS, SLOTS
from app.core.term import Term


def test_slots_and_ops_are_the_closed_vocabulary():
    assert SLOTS == ("subject", "garment", "expression", "gaze", "pose", "hair", "makeup",
                     "accessories", "lighting", "background", "framing", "color", "mood", "quality")
    assert OPS == ("increase", "add", "decrease", "remove", "set")


def test_empty_brief_renders_empty_prompts():
    assert Brief.empty().render() == ("", "")


def test_from_prompt_assigns_slots_with_the_lexicon():
    brief = Brief.from_prompt(
        "a woman in a red dress, (smiling)1.2, hair in a bun, soft window light, "
        "plain white background, full body shot, high contrast, cinematic, 8k, xyzzy",
        "blurry, extra fingers")
    slots = {s: [t.text for t in ts] for s, ts in brief.slots.items() if ts}
    assert slots["expression"] == ["smiling"] and brief.slots["expression"][0].weight == 1.2
    assert slots["hair"] == ["hair in a bun"]
    assert slots["lighting"] == ["soft window light"]
    assert slots["background"] == ["plain white background"]
    assert slots["framing"] == ["full body shot"]
    assert slots["color"] == ["high contrast"]
    assert slots["mood"] == ["cinematic"]
    assert slots["quality"] == ["8k"]
    assert "xyzzy" in slots["subject"]  # not recognised → subject
    assert [t.text for t in brief.negative] == ["blurry", "extra fingers"]


@pytest.mark.parametrize("prompt", [
    "portrait of a woman, (smiling)1.2, soft light, 85mm",
    "b, a, (c)0.8",
    "",
])
def test_prompt_without_edits_renders_back_unchanged(prompt):
    assert Brief.from_prompt(prompt).render()[0] == prompt


def test_a1111_prompt_is_read_and_rendered_in_compel_syntax():
    brief = Brief.from_prompt("a woman, (smiling:1.3), [blurry], (((sky)))")
    assert brief.render()[0] == "a woman, (smiling)1.3, (blurry)0.9091, (sky)1.331"


@pytest.mark.parametrize("text,syntax", [
    ("(smiling)1.2", "compel"), ("smiling+", "compel"), ("(smiling:1.2)", "a1111"),
    ("[blurry]", "a1111"), ("(smiling)", "a1111"), ("plain words, more words", "compel"),
])
def test_syntax_detection(text, syntax):
    assert detect_syntax(text) == syntax


def test_split_terms_drops_break_and_empty_pieces():
    assert split_terms("a, , b BREAK c", "a1111") == [Term("a"), Term("b"), Term("c")]


def test_round_trip_through_json():
    brief = Brief.from_prompt("a woman, (smiling)1.2, soft light", "blurry")
    from app.core.interpret import interpret

    brief = interpret("smile more and no jewelry", brief).apply(brief)
    again = Brief.from_dict(json.loads(json.dumps(brief.to_dict())))
    assert again == brief and again.render() == brief.render()
    assert again.slots["expression"][0].weight == 1.4


def test_unknown_slot_is_refused():
    with pytest.raises(ValueError, match="unknown slot"):
        Brief({"shoes": [Term("boots")]})
    with pytest.raises(ValueError):
        Brief.from_dict({"slots": {"shoes": [{"text": "boots", "weight": 1}]}})
