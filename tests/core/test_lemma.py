"""The lemma table is simplemma's, for the words the studio knows, and is current."""

import json

import pytest

from app.core.lemma import lemma


def test_lemmas_of_both_languages():
    assert lemma("sneakers") == "sneaker"
    assert lemma("oorbellen") == "oorbel"
    assert lemma("wenkbrauwen", "nl") == "wenkbrauw"
    assert lemma("xyzzy") == "xyzzy"


def test_the_shipped_table_is_built_from_simplemma():
    pytest.importorskip("simplemma")
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("build_lemmas", root / "scripts" / "build_lemmas.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    shipped = json.loads((root / "app" / "resources" / "phrases" / "lemmas.json").read_text(encoding="utf-8"))
    assert shipped == mod.build(), "run: python scripts/build_lemmas.py"
