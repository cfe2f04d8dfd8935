"""Reading a prompt by structure: phrases placed by their head noun, weights kept, the
prompt rendered back as written; compel's own parser is the reference for its syntax."""

import json
import subprocess
import sys

import pytest

from app.core.brief import Brief
from app.core.prompt_syntax import PromptError, parse_compel


def slots(prompt, syntax="auto"):
    return {s: [(t["text"], t["weight"]) for t in ts]
            for s, ts in Brief.from_prompt(prompt, syntax=syntax).reading()["slots"].items()}


def test_subject_and_garment_split_at_in_with_colour_and_fit_kept():
    got = slots("a woman in an oversized camel coat, tram stop in the rain, drizzle")
    assert got["subject"] == [("a woman", 1.0)]
    assert got["garment"] == [("oversized camel coat", 1.0)]
    assert got["background"] == [("tram stop in the rain", 1.0), ("drizzle", 1.0)]


@pytest.mark.parametrize("prompt,syntax", [
    ("full body shot of a young man wearing a ((grey flannel suit)), (marble hotel lobby:1.1)", "a1111"),
    ("full body shot of a young man wearing a (grey flannel suit)++, (marble hotel lobby)1.1", "compel"),
])
def test_weights_are_kept_per_phrase_in_both_syntaxes(prompt, syntax):
    got = slots(prompt, syntax)
    assert got["framing"] == [("full body shot", 1.0)]
    assert got["subject"] == [("young man", 1.0)]
    assert got["garment"] == [("grey flannel suit", 1.21)]
    assert got["background"] == [("marble hotel lobby", 1.1)]


@pytest.mark.parametrize("prompt,slot,text", [
    ("(wind in hair:1.3)", "hair", "wind in hair"),
    ("black and white photo", "mood", "black and white photo"),
    ("shallow depth of field", None, "shallow depth of field"),
    ("hands in pockets", "pose", "hands in pockets"),
    ("crossing a busy street", "pose", "crossing"),
    ("holding a coffee cup", "pose", "holding a coffee cup"),
    ("a red puffer jacket and black beanie", "accessories", "black beanie"),
])
def test_phrases_stay_whole_where_splitting_loses_meaning(prompt, slot, text):
    got = slots(prompt)
    where = [s for s, ts in got.items() if any(t == text for t, _ in ts)]
    assert where and (slot is None or where == [slot]), got


@pytest.mark.parametrize("prompt", [
    "a woman in an oversized camel coat, (tram stop in the rain)1.2, drizzle",
    "a woman in a (cream knit sweater)1.2 and wide-leg trousers, sitting on a vintage velvet sofa",
    "close-up portrait of a woman with slicked-back hair, (red lips)1.3",
    "crossing a busy street at night, neon lights",
])
def test_a_phrased_prompt_renders_back_as_written(prompt):
    brief = Brief.from_prompt(prompt)
    assert brief.render()[0] == prompt
    again = Brief.from_dict(json.loads(json.dumps(brief.to_dict())))
    assert again.render()[0] == prompt


PROMPTS = [
    "a woman in a (cream knit sweater)1.2 and wide-leg trousers, glossy skin+",
    '"a red dress"1.2, white background',
    '"a (big)1.3 hat" and gloves, (soft light)0.8',
    "a cat BREAK a dog",
    "(grey flannel suit)++, (smiling)--, hair+",
]


@pytest.mark.parametrize("prompt", PROMPTS)
def test_compel_reading_agrees_with_compels_own_parser(prompt):
    parser = pytest.importorskip("compel.prompt_parser").PromptParser()
    (flat,) = parser.parse_conjunction(prompt).prompts
    theirs = [(f.text, round(f.weight, 4)) for f in flat.children]
    ours = [(t.text, round(t.weight, 4)) for t in parse_compel(prompt)]

    def norm(pairs):  # compel trims and joins fragments with spaces
        words = []
        for text, w in pairs:
            words += [(x, w) for x in text.split()]
        return words

    assert norm(ours) == norm(theirs)


@pytest.mark.parametrize("prompt", ['("a cat", "a dog").and()', '("red dress", "blue dress").blend(0.7, 0.3)'])
def test_compel_conjunctions_are_refused_clearly_never_read_as_text(prompt):
    with pytest.raises(PromptError, match=r"\.(and|blend)\(\)"):
        Brief.from_prompt(prompt)
    # as text in A1111 syntax, where they mean nothing
    assert Brief.from_prompt(prompt, syntax="a1111").render()[0]


def test_break_separates_only_in_a1111_syntax():
    assert [t.text for t in parse_compel("a cat BREAK a dog")] == ["a cat BREAK a dog"]
    a1111 = Brief.from_prompt("a woman BREAK white background", syntax="a1111")
    assert "BREAK" not in a1111.render()[0]


def test_brief_command_prints_the_reading():
    out = subprocess.run([sys.executable, "-m", "app", "brief", "--json", "--prompt",
                          "a man in a (grey flannel suit:1.2), marble hotel lobby", "--negative", "blurry"],
                         capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == {
        "slots": {"subject": [{"text": "a man", "weight": 1.0}],
                  "garment": [{"text": "grey flannel suit", "weight": 1.2}],
                  "background": [{"text": "marble hotel lobby", "weight": 1.0}]},
        "negative": [{"text": "blurry", "weight": 1.0}]}
    for bad in ("   ", '("a", "b").and()'):
        r = subprocess.run([sys.executable, "-m", "app", "brief", "--prompt", bad], capture_output=True, text=True)
        assert r.returncode == 2 and r.stderr.strip()
