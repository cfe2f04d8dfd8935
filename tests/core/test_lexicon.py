"""The lexicons: every slot covered in both languages, forms generated, nothing unpickled."""

import json
import os

import pytest

from app.core import inflect
from app.core.lexicon import load_lexicon, tokenize
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


def test_a_planted_cache_file_runs_no_code_and_nothing_is_cached(tmp_path):
    # Anyone who can write the user's cache folder once got their pickle unpickled by
    # every `interpret`. Plant pickles under every name the old cache used.
    import pickle
    import subprocess
    import sys

    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    cache = tmp_path / "cache"
    for folder in (cache, cache / "Atelier"):
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("lexicon-0000000000000000.pickle", "lexicon.pickle"):
            (folder / name).write_bytes(pickle.dumps(Payload()))
    before = sorted(p.relative_to(cache) for p in cache.rglob("*"))
    env = {**os.environ, "ATELIER_CACHE": str(cache / "Atelier"), "XDG_CACHE_HOME": str(cache)}
    out = subprocess.run([sys.executable, "-m", "app", "interpret", "smile more", "--prompt", "a woman"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert not marker.exists()
    assert sorted(p.relative_to(cache) for p in cache.rglob("*")) == before


def test_a_phrase_is_found_with_another_determiner():
    # the lexicon lists "hand in her hair" and "hand in het haar"; people also say these
    from app.core.interpret import interpret

    for note in ("hands in your hair", "handen in haar haar", "tuck it behind your ear"):
        result = interpret(note)
        assert result.understood and len(result.edits) == 1, (note, result.message)
    assert interpret("hands in your hair").edits[0].term == "hand touching hair"
