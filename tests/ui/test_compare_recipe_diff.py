"""The recipe diff marks exactly the fields and terms that differ from A."""

from types import SimpleNamespace

from app.core.brief import Brief
from app.core.term import Term
from app.ui.compare.recipe_diff import ADDED, CHANGED, DIFFERS, REMOVED, diff_html, diff_recipes


def shot(brief: Brief, **recipe):
    base = dict(model="demo", seed=42, steps=20, width=512, height=512, scheduler="ddim",
                guidance=7.5, strength=None)
    base.update(recipe)
    return SimpleNamespace(brief=brief.to_dict(), **base)


def brief(**slots):
    negative = slots.pop("negative", [Term("blurry")])
    return Brief({k: v for k, v in slots.items()}, negative)


A = brief(subject=[Term("a model")], expression=[Term("smiling")],
          hair=[Term("sleek hair")], lighting=[Term("soft light")])


def test_identical_recipes_highlight_nothing():
    d = diff_recipes([shot(A), shot(A)])
    assert d.differing_fields() == set()
    assert d.highlighted_terms(0) == set() and d.highlighted_terms(1) == set()


def test_exactly_the_differing_fields_and_terms():
    b = brief(subject=[Term("A Model")],  # same term, other case: not a difference
              expression=[Term("smiling", 1.2)], lighting=[Term("soft light")],
              background=[Term("white studio")], negative=[Term("blurry"), Term("hat")])
    d = diff_recipes([shot(A), shot(b, seed=7, steps=30, width=768)])
    assert d.differing_fields() == {"seed", "steps", "size"}
    assert d.highlighted_terms(1) == {("expression", "smiling", CHANGED),
                                      ("hair", "sleek hair", REMOVED),
                                      ("background", "white studio", ADDED),
                                      ("negative", "hat", ADDED)}
    assert d.highlighted_terms(0) == {("expression", "smiling", DIFFERS),
                                      ("hair", "sleek hair", DIFFERS)}
    changed = [c for row in d.slots for c in row.cells[1] if c.state == CHANGED][0]
    assert (changed.ref_weight, changed.weight) == (1.0, 1.2)


def test_model_scheduler_and_strength_differences():
    d = diff_recipes([shot(A), shot(A, model="sdxl-base", scheduler="euler", strength=0.6)])
    assert d.differing_fields() == {"model", "scheduler", "strength"}
    row = next(r for r in d.fields if r.key == "strength")
    assert row.values == ["—", "0.6"] and row.differs == [True, True]


def test_strength_row_hidden_when_no_shot_has_one():
    d = diff_recipes([shot(A), shot(A)])
    assert "strength" not in {r.key for r in d.fields}


def test_third_and_fourth_shots_compare_with_a():
    c = brief(subject=[Term("a model")], expression=[Term("smiling")],
              hair=[Term("sleek hair")], lighting=[Term("soft light")], mood=[Term("calm")])
    d = diff_recipes([shot(A), shot(A), shot(c), shot(A, seed=1)])
    assert d.highlighted_terms(1) == set()
    assert d.highlighted_terms(2) == {("mood", "calm", ADDED)}
    seed = next(r for r in d.fields if r.key == "seed")
    assert seed.differs == [True, False, False, True]


def test_html_marks_the_changed_cells():
    b = brief(subject=[Term("a model")], expression=[Term("smiling", 1.2)],
              hair=[Term("sleek hair")], lighting=[Term("soft light")])
    out = diff_html(diff_recipes([shot(A), shot(b)]), ["A", "B"])
    assert "smiling 1 → 1.2" in out
    assert out.count("bgcolor=") == 2  # the expression row, in both columns
    assert "<" + "script" not in diff_html(diff_recipes([shot(brief(subject=[Term("<script>")])),
                                                         shot(A)]), ["A", "B"])
