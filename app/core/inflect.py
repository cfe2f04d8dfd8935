"""Regular adjective forms, so a lexicon lists "soft" and understands "softer", "zachtere".

Each function returns (plain forms, comparative forms). Irregular forms are written in the
lexicon itself; a generated form nobody uses does no harm.
"""

from __future__ import annotations

import re

_VOWELS = set("aeiou")
_LONG = {"ij", "ei", "ui", "ie", "oe", "eu", "ou", "au", "aa", "ee", "oo", "uu"}


def english(adj: str) -> tuple[list[str], list[str]]:
    # -er/-est only for short adjectives (soft, airy, simple); "more elegant" is grammar
    syllables = len(re.findall(r"[aeiouy]+", adj.rstrip("e")))
    if " " in adj or "-" in adj or syllables > 2 or (syllables == 2 and not adj.endswith(("y", "le", "ow", "er"))):
        return [adj], []
    if adj.endswith("e"):
        stem = adj[:-1] + "e"
        comp = [stem + "r", stem + "st"]
    elif adj.endswith("y") and len(adj) > 2 and adj[-2] not in _VOWELS:
        comp = [adj[:-1] + "ier", adj[:-1] + "iest"]
    elif _short_cvc(adj):
        comp = [adj + adj[-1] + "er", adj + adj[-1] + "est"]
    else:
        comp = [adj + "er", adj + "est"]
    return [adj], comp


def _short_cvc(w: str) -> bool:
    """big → bigger, but cool → cooler, warm → warmer."""
    return (len(w) >= 3 and w[-1] not in _VOWELS and w[-1] not in "wxy"
            and w[-2] in _VOWELS and w[-3] not in _VOWELS
            and sum(ch in _VOWELS for ch in w) == 1)


def dutch(adj: str) -> tuple[list[str], list[str]]:
    if " " in adj:
        return [adj], []
    inflected = _nl_inflect(adj)
    comp_base = adj + "der" if adj.endswith("r") else inflected + "r" if inflected.endswith("e") and not adj.endswith("e") else adj + "er"
    if adj.endswith("r"):
        comp = [comp_base, comp_base + "e"]
    else:
        comp = [inflected + "r", inflected + "re"]
    superl = [adj + "st", adj + "ste"] if not adj.endswith("s") else [adj + "t", adj + "te"]
    return [adj, inflected], comp + superl


def _nl_inflect(adj: str) -> str:
    """wit → witte, groot → grote, lief → lieve, boos → boze, zacht → zachte, luchtig → luchtige."""
    if adj.endswith("e"):
        return adj
    if adj.endswith(("ig", "isch")) or (len(adj) > 4 and adj.endswith(("er", "el", "en"))):
        return adj + "e"
    last, prev = adj[-1], adj[-2] if len(adj) > 1 else ""
    before = adj[-3] if len(adj) > 2 else ""
    if last not in _VOWELS and prev in _VOWELS:
        if before == prev:  # long vowel written double: groot → grote
            stem = adj[:-2] + adj[-1]
            return _voice(stem) + "e"
        if before not in _VOWELS and before != "":  # short vowel: wit → witte
            if prev + last in ("ij",):
                return adj + "e"
            return adj + last + "e"
    if prev + last == "ij" or last in "wy":
        return adj + "e"
    if adj[-3:-1] in _LONG:  # lief → lieve, stijf → stijve, boos → boze
        return _voice(adj) + "e"
    return adj + "e"


def _voice(stem: str) -> str:
    if stem.endswith("f"):
        return stem[:-1] + "v"
    if stem.endswith("s"):
        return stem[:-1] + "z"
    return stem
