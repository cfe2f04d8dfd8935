"""Build app/resources/phrases/lemmas.json from simplemma's dictionaries.

`python scripts/build_lemmas.py` (run after changing a lexicon or heads.json). The table
holds every English and Dutch word form that simplemma lemmatises to a word the studio
knows (a lexicon word, a head noun, an attribute), so the studio reads "oorbellen",
"sneakers" or "plakt" without loading simplemma's full dictionaries at start-up (they
take about half a second). tests/core/test_lemma.py checks the table is current.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "app" / "resources" / "phrases" / "lemmas.json"


def vocabulary() -> set[str]:
    from app.core.lexicon import tokenize

    words: set[str] = set()
    for path in sorted((ROOT / "app" / "resources" / "lexicons").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for kind, ws in doc.get("grammar", {}).items():
            for w in ws:
                words.update(tokenize(w))
        for e in doc.get("entries", []):
            for f in ("words", "adj", "more", "less", "context_words"):
                for w in e.get(f, []):
                    words.update(tokenize(w))
    heads = json.loads((ROOT / "app" / "resources" / "phrases" / "heads.json").read_text(encoding="utf-8"))
    for table in (heads["heads"], heads["attributes"]):
        for ws in table.values():
            words.update(w.casefold() for w in ws)
    for table in heads["kinds"].values():
        for ws in table.values():
            words.update(w.casefold() for w in ws)
    words.update(w.casefold() for w in heads["translate"])
    return {w for w in words if w.isalpha() or "-" in w}


def build() -> dict[str, dict[str, str]]:
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    known = vocabulary()
    factory = DefaultDictionaryFactory()
    out: dict[str, dict[str, str]] = {}
    for lang in ("en", "nl"):
        table = {}
        for form, lem in factory.get_dictionary(lang).items():
            f, lm = form.casefold(), lem.casefold()
            if lm in known and f != lm and f.isalpha() and len(f) > 2:
                table[f] = lm
        out[lang] = dict(sorted(table.items()))
    return out


def main() -> int:
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{OUT}: {sum(len(t) for t in data.values())} forms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
