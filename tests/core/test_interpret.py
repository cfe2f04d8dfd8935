"""interpret(): language, not-understood policy, robustness against any input."""

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from app.core.brief import Brief
from app.core.interpret import EmptyNote, Interpretation, interpret


@pytest.mark.parametrize("note", ["", "   ", "\n\t", "\x00\x01\x7f"])
def test_empty_note_is_an_error(note):
    with pytest.raises(EmptyNote):
        interpret(note)
    assert issubclass(EmptyNote, ValueError)


@pytest.mark.parametrize("note,language", [
    ("smile more", "en"), ("lach iets meer", "nl"), ("meer volume in het haar", "nl"),
    ("minder make-up", "nl"), ("warmer licht", "nl"), ("warmer light", "en"),
    ("close-up graag", "nl"), ("no jewelry", "en"), ("geen sieraden", "nl"),
])
def test_language_is_detected(note, language):
    assert interpret(note).language == language


def test_not_understood_echoes_the_unknown_words_and_shows_what_works():
    result = interpret("flibber the gizmo")
    assert not result.understood and result.edits == []
    assert "flibber" in result.message and "gizmo" in result.message
    assert "smile more" in result.message  # an example of a note that works


def test_dutch_help_for_a_dutch_note():
    result = interpret("doe maar iets")
    assert not result.understood
    assert "lach iets meer" in result.message


def test_partly_understood_note_changes_nothing_and_says_which_part():
    result = interpret("smile more and flibber the gizmo")
    assert not result.understood and result.edits == []
    assert "smile more" in result.message and "flibber" in result.message
    assert "Nothing was changed" in result.message


def test_a_note_without_a_slot_is_not_guessed():
    for note in ("more", "a bit less", "make it better", "niet doen"):
        result = interpret(note)
        assert not result.understood and result.edits == [], note


def test_edits_are_computed_against_the_brief():
    brief = Brief.from_prompt("a woman, big smile")
    (edit,) = interpret("smile more", brief).edits
    assert (edit.term, edit.weight_before, edit.weight_after) == ("big smile", 1.0, 1.2)


def test_increase_takes_back_the_opposite_first():
    brief = Brief.from_prompt("a woman, cool light")
    (edit,) = interpret("warmer light", brief).edits
    assert (edit.op, edit.term) == ("decrease", "cool light")


def test_to_json_has_the_design_fields():
    brief = Brief.from_prompt("a woman, smiling", "blurry")
    result = interpret("lach iets meer", brief)
    data = result.to_json(brief, result.apply(brief))
    assert list(data) == ["note", "language", "understood", "edits", "prompt", "negative", "message"]
    assert data["prompt"] == {"before": "a woman, smiling", "after": "a woman, (smiling)1.1"}
    assert data["negative"] == {"before": "blurry", "after": "blurry"}
    assert list(data["edits"][0]) == ["slot", "op", "term", "weight_before", "weight_after", "delta"]


def _check(result):
    assert isinstance(result, Interpretation)
    assert result.language in ("en", "nl")
    assert result.message
    if not result.understood:
        assert result.edits == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_no_text_crashes_the_interpreter(note):
    try:
        result = interpret(note)
    except EmptyNote:
        assert not "".join(c for c in note if c.isprintable()).strip()
        return
    _check(result)


words = st.sampled_from("smile more less no not and , ; hair warmer light en geen niet lach meer "
                        "a bit much way iets veel weg off the background white bun close-up "
                        "( ) [ ] : 1.2 \\ \x00 \u200b ✨ 笑".split(" "))


@settings(max_examples=300, deadline=None)
@given(st.lists(words, min_size=1, max_size=30).map(" ".join),
       st.text(alphabet="abc ,()[]:+-.0123456789\\", max_size=60))
def test_no_mix_of_known_words_and_brackets_crashes(note, prompt):
    brief = Brief.from_prompt(prompt)
    try:
        result = interpret(note, brief)
    except EmptyNote:
        return
    _check(result)
    after = result.apply(brief)
    after.render()


def test_ten_thousand_character_notes():
    for note in ("smile more " * 1000, "x" * 10_000, "(" * 10_000, "lach " * 2000):
        result = interpret(note)
        _check(result)


@pytest.mark.parametrize("note,slot,term", [
    ("strandachtergrond", "background", "beach"),
    ("stadsachtergrond", "background", "city street"),  # linking s
    ("bosachtergrond", "background", "forest"),
])
def test_dutch_compounds_are_read_as_their_known_words(note, slot, term):
    r = interpret(note)
    assert r.understood and r.language == "nl"
    assert [(e.slot, e.term) for e in r.edits] == [(slot, term)]


def test_a_compound_of_unknown_parts_is_not_guessed():
    r = interpret("kantoorachtergrondje")
    assert not r.understood and r.edits == []
