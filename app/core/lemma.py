"""Word forms → lemmas, from simplemma's dictionaries (English and Dutch).

The table in resources/phrases/lemmas.json is built by scripts/build_lemmas.py from
simplemma and holds the forms of every word the studio knows ("oorbellen" → "oorbel",
"sneakers" → "sneaker", "plakt" → "plakken"), so reading a note does not load simplemma's
full dictionaries at start-up. A word not in it is its own lemma.
"""

from __future__ import annotations

import json
from functools import lru_cache


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict[str, str]]:
    from app.paths import resource

    path = resource("phrases", "lemmas.json")
    if not path.exists():
        return {"en": {}, "nl": {}}
    return json.loads(path.read_bytes())


def lemma(word: str, lang: str | None = None) -> str:
    """The lemma of a lowercased word; English first unless `lang` says otherwise."""
    tables = _tables()
    order = (lang,) if lang in tables else ("en", "nl") if lang != "nl" else ("nl", "en")
    for code in order:
        found = tables[code].get(word)
        if found:
            return found
    return word


def lemmas(word: str) -> list[str]:
    """Every lemma the word may have (English, then Dutch), without the word itself."""
    tables = _tables()
    out = []
    for code in ("en", "nl"):
        found = tables[code].get(word)
        if found and found not in out:
            out.append(found)
    return out
