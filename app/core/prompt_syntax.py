"""Weighted prompts in two syntaxes: compel's and AUTOMATIC1111's.

Both parsers return chunks, `Term(text, weight)`, the way AUTOMATIC1111's
`parse_prompt_attention` does: runs of text with one weight each, whitespace kept,
neighbours of equal weight merged. `BREAK` becomes `Term("BREAK", -1.0)`.

Deliberate differences from AUTOMATIC1111 (so parse → write → parse is exact):
empty chunks are dropped (an empty prompt gives `[]`), `BREAK` always weighs -1 (a
bracket around it does not scale it), and a malformed number such as `(x:1.2.3)` is kept
as text instead of raising.
"""

from __future__ import annotations

import re

from app.core.term import Term

BREAK = "BREAK"


class PromptError(ValueError):
    """A prompt the studio will not read into a brief (compel's .and()/.blend())."""


_RE_CONJ = re.compile(r"""[)"']\s*\.(and|blend)\s*\(""")


def conjunction(text: str) -> str | None:
    """"and" or "blend" when a compel prompt combines prompts with .and()/.blend()."""
    m = _RE_CONJ.search(text)
    return m.group(1) if m else None
_RE_BREAK = re.compile(r"\s*\bBREAK\b\s*", re.S)

# --------------------------------------------------------------------------- helpers


def _merge(chunks: list[list]) -> list[Term]:
    """Drop empty text, merge equal-weight neighbours (never two BREAKs)."""
    out: list[list] = []
    for text, weight in chunks:
        if text == "":
            continue
        is_break = text == BREAK and weight == -1.0
        if out and out[-1][1] == weight and not is_break and not out[-1][2]:
            out[-1][0] += text
        else:
            out.append([text, weight, is_break])
    return [Term(text, weight) for text, weight, _ in out]


def _split_breaks(text: str, res: list[list]) -> None:
    for i, part in enumerate(_RE_BREAK.split(text)):
        if i:
            res.append([BREAK, -1.0, True])
        res.append([part, 1.0, False])


def _scale(res: list[list], start: int, factor: float) -> None:
    for item in res[start:]:
        if not item[2]:  # BREAK is a separator, never weighted
            item[1] *= factor


def _fmt(weight: float) -> str:
    """A weight written so that float(text) gives the same float back: shortest form,
    no exponent (neither syntax reads one), no trailing ".0"."""
    text = repr(float(weight))
    if "e" in text:
        from decimal import Decimal  # rare (1e-05): not worth importing at start-up

        text = format(Decimal(text), "f")
    return text[:-2] if text.endswith(".0") else text


# --------------------------------------------------------------------- AUTOMATIC1111

_RE_A1111 = re.compile(
    r"\\\(|\\\)|\\\[|\\\]|\\\\|\\|\(|\[|:\s*([+-]?[.\d]+)\s*\)|\)|\]|[^\\()\[\]:]+|:"
)


def parse_a1111(text: str) -> list[Term]:
    """AUTOMATIC1111 attention syntax: (x) ×1.1, [x] ÷1.1, (x:1.5), nesting multiplies,
    backslash escapes, unclosed brackets closed at the end, BREAK."""
    res: list[list] = []  # [text, weight, is_break]
    rounds: list[int] = []
    squares: list[int] = []
    for m in _RE_A1111.finditer(text):
        tok, weight = m.group(0), m.group(1)
        if tok.startswith("\\"):
            res.append([tok[1:], 1.0, False])
        elif tok == "(":
            rounds.append(len(res))
        elif tok == "[":
            squares.append(len(res))
        elif weight is not None and rounds and _is_float(weight):
            _scale(res, rounds.pop(), float(weight))
        elif weight is not None and rounds:  # "(x:1.2.3)": the number is text, ")" closes
            _split_breaks(tok[:-1], res)
            _scale(res, rounds.pop(), 1.1)
        elif tok == ")" and rounds:
            _scale(res, rounds.pop(), 1.1)
        elif tok == "]" and squares:
            _scale(res, squares.pop(), 1 / 1.1)
        else:
            _split_breaks(tok, res)
    for pos in rounds:
        _scale(res, pos, 1.1)
    for pos in squares:
        _scale(res, pos, 1 / 1.1)
    return _merge([(t, w) for t, w, _ in res])


def _is_float(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


_A1111_SPECIAL = re.compile(r"([\\()\[\]])")


def write_a1111(terms: list[Term]) -> str:
    """Chunks back to AUTOMATIC1111 text: weight 1 plain, others as (text:w)."""
    out = []
    for i, t in enumerate(terms):
        if _is_break(t):
            out.append(" BREAK ")
            continue
        text = _A1111_SPECIAL.sub(r"\\\1", t.text)
        # space beside a BREAK would be eaten by it: a (text:1) group keeps it
        plain = t.weight == 1.0 and not _space_by_break(terms, i)
        out.append(text if plain else f"({text}:{_fmt(t.weight)})")
    return "".join(out)


def _is_break(t: Term) -> bool:
    return t.text == BREAK and t.weight == -1.0


def _space_by_break(terms: list[Term], i: int) -> bool:
    text = terms[i].text
    before = i > 0 and _is_break(terms[i - 1]) and text[:1].isspace()
    after = i + 1 < len(terms) and _is_break(terms[i + 1]) and text[-1:].isspace()
    return before or after


# ---------------------------------------------------------------------------- compel

_RE_NUM = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_RE_SIGNS = re.compile(r"\++|-+")
_WORD_END = set(" \t\r\n,()")


def parse_compel(text: str) -> list[Term]:
    """compel syntax: (a b)1.2, (a b)+, word+, word--, plain (grouping), backslash escapes.

    `+` multiplies by 1.1 and `-` by 0.9 per sign (compel's rule); a sign run counts only at
    the end of a word (make-up stays text). A quoted part groups like brackets, as in
    compel ("a red dress"1.2). BREAK is a word here: it separates only in A1111 syntax.
    Unclosed groups are closed at the end. `.and()`/`.blend()` are not read here: see
    `conjunction` (a brief refuses them).
    """
    res: list[list] = []  # [text, weight, is_break]
    groups: list[int] = []
    quote: int | None = None  # where an open quoted group starts
    buf: list[str] = []
    i, n = 0, len(text)

    def flush():
        if buf:
            res.append(["".join(buf), 1.0, False])
            buf.clear()

    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            flush()
            res.append([text[i + 1], 1.0, False])
            i += 2
        elif c == '"' and quote is None and not groups:
            flush()
            quote = len(res)
            i += 1
        elif c == '"' and quote is not None and not groups:
            flush()
            factor, i = _compel_weight(text, i + 1)
            _scale(res, quote, factor)
            quote = None
        elif c == "(":
            flush()
            groups.append(len(res))
            i += 1
        elif c == ")" and groups:
            flush()
            start = groups.pop()
            factor, i = _compel_weight(text, i + 1)
            _scale(res, start, factor)
        elif c in "+-" and buf and buf[-1] not in _WORD_END and _sign_run_ends(text, i):
            run = _RE_SIGNS.match(text, i).group(0)
            # the word just before the signs is what they weigh
            word_start = len(buf)
            while word_start > 0 and buf[word_start - 1] not in _WORD_END and buf[word_start - 1] not in "+-":
                word_start -= 1
            word = "".join(buf[word_start:])
            del buf[word_start:]
            flush()
            res.append([word, _sign_factor(run), False])
            i += len(run)
        else:
            buf.append(c)
            i += 1
    flush()
    return _merge([(t, w) for t, w, _ in res])


def _sign_factor(run: str) -> float:
    return (1.1 if run[0] == "+" else 0.9) ** len(run)


def _sign_run_ends(text: str, i: int) -> bool:
    m = _RE_SIGNS.match(text, i)
    end = m.end()
    return end == len(text) or text[end] in _WORD_END


def _compel_weight(text: str, i: int) -> tuple[float, int]:
    m = _RE_NUM.match(text, i)
    if m:
        return float(m.group(0)), m.end()
    m = _RE_SIGNS.match(text, i)
    if m:
        return _sign_factor(m.group(0)), m.end()
    return 1.0, i


_COMPEL_SPECIAL = re.compile(r'([\\()"])')


def _escape_compel(text: str) -> str:
    text = _COMPEL_SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"\bBREAK\b", r"\\BREAK", text)  # a literal word, not the separator
    # a sign run at the end of a word would read as a weight: escape each of its signs
    out, last = [], 0
    for m in re.finditer(r"[+-]+(?=$|[ \t\r\n,])", text):
        out.append(text[last:m.start()])
        out.append("".join("\\" + ch for ch in m.group(0)))
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def write_compel(terms: list[Term]) -> str:
    """Chunks back to compel text: weight 1 plain, others as (text)w."""
    out: list[str] = []
    for i, t in enumerate(terms):
        if _is_break(t):
            out.append(" BREAK ")
            continue
        text = _escape_compel(t.text)
        if _space_by_break(terms, i):  # space beside a BREAK would be eaten by it
            text = re.sub(r"^\s+|\s+$", lambda m: "".join("\\" + c for c in m.group(0)), text)
        if t.weight == 1.0:
            # text right after a weighted group must not continue its number or signs
            if out and _ends_with_weight(out[-1]) and text[:1] and (text[0].isdigit() or text[0] in ".+-"):
                text = "\\" + text[0] + text[1:]
            out.append(text)
        else:
            out.append(f"({text}){_fmt(t.weight) if t.weight >= 0 else '0'}")
    return "".join(out)


def _ends_with_weight(piece: str) -> bool:
    return bool(re.search(r"\)(?:\d+(?:\.\d+)?|\.\d+|\++|-+)$", piece))
