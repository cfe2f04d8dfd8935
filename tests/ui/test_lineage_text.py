"""How an edit reads in the history and compare panels (signed weights: negative = in the
negative prompt)."""

from app.core.edits import Edit
from app.ui.history.lineage_path import edit_text


def test_edits_read_as_what_happened_to_the_prompt():
    assert edit_text(Edit("expression", "increase", "smiling", 1.0, 1.1)) == "expression: smiling 1 → 1.1"
    assert edit_text(Edit("hair", "add", "airy hair", 0.0, 1.1)) == "hair: + airy hair 1.1"
    assert edit_text(Edit("accessories", "remove", "earrings", 0.0, -1.0)) == "accessories: − earrings (negative 1)"
    assert edit_text(Edit("makeup", "decrease", "makeup", 1.0, 0.0)) == "makeup: − makeup"
    assert edit_text(Edit("background", "set", "white background", 0.0, 1.0)) == "background: set to white background"
