"""Prompt syntaxes: AUTOMATIC1111's documented behaviour, compel's weights, round trips."""

import pytest
from hypothesis import given, settings, strategies as st

from app.core.prompt_syntax import parse_a1111, parse_compel, write_a1111, write_compel
from app.core.term import Term


def pairs(terms):
    return [[t.text, t.weight] for t in terms]


# The examples in AUTOMATIC1111's parse_prompt_attention docstring and its wiki.
A1111_DOCUMENTED = [
    ("normal text", [["normal text", 1.0]]),
    ("an (important) word", [["an ", 1.0], ["important", 1.1], [" word", 1.0]]),
    ("(unbalanced", [["unbalanced", 1.1]]),
    ("\\(literal\\]", [["(literal]", 1.0]]),
    ("(unnecessary)(parens)", [["unnecessaryparens", 1.1]]),
    ("a (((house:1.3)) [on] a (hill:0.5), sun, (((sky))).", [
        ["a ", 1.0], ["house", 1.5730000000000004], [" ", 1.1], ["on", 1.0], [" a ", 1.1],
        ["hill", 0.55], [", sun, ", 1.1], ["sky", 1.4641000000000006], [".", 1.1]]),
    ("a (very beautiful:1.3) (whimsical) [landscape] with (flowers:0.5)", [
        ["a ", 1.0], ["very beautiful", 1.3], [" ", 1.0], ["whimsical", 1.1], [" ", 1.0],
        ["landscape", 1 / 1.1], [" with ", 1.0], ["flowers", 0.5]]),
]


@pytest.mark.parametrize("text,expected", A1111_DOCUMENTED)
def test_a1111_documented_examples(text, expected):
    assert pairs(parse_a1111(text)) == expected


def test_a1111_square_brackets_divide_and_nest():
    assert pairs(parse_a1111("[[x]]")) == [["x", (1 / 1.1) * (1 / 1.1)]]
    assert pairs(parse_a1111("[unclosed")) == [["unclosed", 1 / 1.1]]


def test_a1111_break_splits_and_is_never_weighted():
    assert pairs(parse_a1111("a red dress BREAK white background")) == [
        ["a red dress", 1.0], ["BREAK", -1.0], ["white background", 1.0]]
    assert pairs(parse_a1111("(a BREAK b:1.2)")) == [["a", 1.2], ["BREAK", -1.0], ["b", 1.2]]


def test_a1111_weight_with_spaces_and_malformed_number():
    assert pairs(parse_a1111("(x: 1.5 )")) == [["x", 1.5]]
    # AUTOMATIC1111 raises on "1.2.3"; we keep it as text and close the bracket at the end
    assert pairs(parse_a1111("(x:1.2.3)")) == [["x:1.2.3", 1.1]]


def test_a1111_unmatched_closing_brackets_are_text():
    assert pairs(parse_a1111("a) b]")) == [["a) b]", 1.0]]


def test_a1111_empty_prompt():
    assert parse_a1111("") == []


COMPEL = [
    ("a cat", [["a cat", 1.0]]),
    ("(smiling)1.2", [["smiling", 1.2]]),
    ("a (red dress)1.3, soft light", [["a ", 1.0], ["red dress", 1.3], [", soft light", 1.0]]),
    ("ball++ in the park", [["ball", 1.1 ** 2], [" in the park", 1.0]]),
    ("smiling- face", [["smiling", 0.9], [" face", 1.0]]),
    ("(a b)+", [["a b", 1.1]]),
    ("(a b)--", [["a b", 0.9 ** 2]]),
    ("(outer (inner)1.5)0.5", [["outer ", 0.5], ["inner", 0.75]]),
    ("make-up and well-lit", [["make-up and well-lit", 1.0]]),
    ("\\(literal\\) parens", [["(literal) parens", 1.0]]),
    ("(plain grouping)", [["plain grouping", 1.0]]),
    ("(unclosed group", [["unclosed group", 1.0]]),
    ("word\\+", [["word+", 1.0]]),
]


@pytest.mark.parametrize("text,expected", COMPEL)
def test_compel_syntax(text, expected):
    assert pairs(parse_compel(text)) == [[t, pytest.approx(w)] for t, w in expected]


@pytest.mark.parametrize("terms,text", [
    ([Term("smiling", 1.2)], "(smiling)1.2"),
    ([Term("a ", 1.0), Term("red", 1.1), Term(" dress", 1.0)], "a (red)1.1 dress"),
    ([Term("trailing+", 1.0)], "trailing\\+"),
])
def test_write_compel(terms, text):
    assert write_compel(terms) == text


def test_write_a1111():
    assert write_a1111([Term("a ", 1.0), Term("house", 1.3), Term(" (lit)", 1.0)]) == "a (house:1.3) \\(lit\\)"


# ------------------------------------------------------------------ properties

prompt_text = st.lists(
    st.sampled_from(list("ab ,:()[]\\+-.0123456789") + ["BREAK", " BREAK ", "é", "\x00", "\n"]),
    max_size=40).map("".join)
any_text = st.text(max_size=200)


@settings(max_examples=300, deadline=None)
@given(prompt_text)
def test_a1111_parse_write_parse_is_stable(text):
    once = parse_a1111(text)
    assert parse_a1111(write_a1111(once)) == once


@settings(max_examples=300, deadline=None)
@given(prompt_text)
def test_compel_parse_write_parse_is_stable(text):
    once = parse_compel(text)
    assert parse_compel(write_compel(once)) == once


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="abc ()+-\\[]:,", min_size=1, max_size=8),
                          st.sampled_from([0.5, 0.9, 1.0, 1.1, 1.25, 1.5])), max_size=6))
def test_written_terms_read_back(chunks):
    terms = [Term(t, w) for t, w in chunks]
    for write, parse in ((write_compel, parse_compel), (write_a1111, parse_a1111)):
        once = parse(write(terms))
        assert parse(write(once)) == once
        # the text survives in order, whatever the weights
        assert "".join(t.text for t in once if t.text != "BREAK") == "".join(t.text for t in terms)


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_parsers_never_crash(text):
    parse_a1111(text)
    parse_compel(text)


def test_parsers_handle_long_unbalanced_input():
    text = "(" * 5000 + "x" + "]" * 5000  # unmatched "]" is text in both syntaxes
    assert parse_a1111(text)[0].text == "x" + "]" * 5000
    assert parse_compel(text)[0].text == "x" + "]" * 5000
