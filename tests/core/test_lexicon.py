"""The lexicons: every slot covered in both languages, forms generated, cache safe."""

import json

import pytest

from app.core import inflect
from app.core.lexicon import Lexicon, load_lexicon, tokenize
from app.core.slots import SLOTS
from app.paths import resource


def docs():
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in resource("lexicons").glob("*.json")}


def test_one_lexicon_per_language_covering_every_slot():
    found = docs()
    assert set(found) == {"en", "nl"}
    for lang, doc in found.items():
        slots = {e["slot"] for e in doc["entries"] if e.get("term")}
        assert slots == set(SLOTS), (lang, set(SLOTS) - slots)


def test_prompt_terms_are_english_in_both_lexicons():
    en_terms = {(e["slot"], e.get("term")) for e in docs()["en"]["entries"]}
    nl_terms = {(e["slot"], e.get("term")) for e in docs()["nl"]["entries"]}
    assert nl_terms - en_terms == set()


@pytest.mark.parametrize("adj,plain,comparative", [
    ("soft", "soft", "softer"), ("airy", "airy", "airier"), ("big", "big", "bigger"),
    ("loose", "loose", "looser"), ("warm", "warm", "warmer"),
])
def test_english_forms(adj, plain, comparative):
    forms, comps = inflect.english(adj)
    assert plain in forms and comparative in comps


@pytest.mark.parametrize("adj,inflected,comparatives", [
    ("zacht", "zachte", {"zachter", "zachtere"}), ("luchtig", "luchtige", {"luchtiger", "luchtigere"}),
    ("wit", "witte", {"witter", "wittere"}), ("groot", "grote", {"groter", "grotere"}),
    ("lief", "lieve", {"liever", "lievere"}), ("donker", "donkere", {"donkerder"}),
    ("koel", "koele", {"koeler", "koelere"}), ("stijf", "stijve", {"stijver"}),
])
def test_dutch_forms(adj, inflected, comparatives):
    forms, comps = inflect.dutch(adj)
    assert inflected in forms and comparatives <= set(comps)


def test_plurals_and_possessives_reach_the_lexicon():
    lex = load_lexicon()
    assert lex.norm("earring") in lex.known and lex.norm("shadows") in lex.known
    assert lex.norm("model's") == "model"


def test_tokenizer_keeps_hyphenated_words_and_apostrophes():
    assert tokenize("Don’t lose the make-up, 3/4 shot!") == ["don't", "lose", "the", "make-up", ",", "3/4", "shot", "!"]


def test_compiled_lexicon_is_cached_and_a_damaged_cache_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("ATELIER_CACHE", str(tmp_path))
    load_lexicon.cache_clear()
    try:
        first = load_lexicon()
        (cached,) = tmp_path.glob("lexicon-*.pickle")
        load_lexicon.cache_clear()
        again = load_lexicon()
        assert again is not first and again.phrases.keys() == first.phrases.keys()
        cached.write_bytes(b"not a pickle")
        load_lexicon.cache_clear()
        assert isinstance(load_lexicon(), Lexicon)
    finally:
        load_lexicon.cache_clear()


def test_a_phrase_is_found_with_another_determiner():
    # the lexicon lists "hand in her hair" and "hand in het haar"; people also say these
    from app.core.interpret import interpret

    for note in ("hands in your hair", "handen in haar haar", "tuck it behind your ear"):
        result = interpret(note)
        assert result.understood and len(result.edits) == 1, (note, result.message)
    assert interpret("hands in your hair").edits[0].term == "hand touching hair"
