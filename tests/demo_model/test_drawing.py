"""The demo model's training pictures: drawn by code, captioned in the lexicon's words."""

import random

import numpy as np

from app.core.interpret import interpret
from tools.demo_model import draw
from tools.demo_model.make_vocab import all_words


def _mean(img, mask):
    return np.asarray(img, np.float32)[mask].mean(axis=0)


def test_the_same_seed_draws_the_same_picture_and_caption():
    a, b = draw.example(5), draw.example(5)
    assert a[1] == b[1] and np.array_equal(np.asarray(a[0]), np.asarray(b[0]))
    assert a[0].size == (draw.SIDE, draw.SIDE)


def test_regions_hold_what_the_caption_says():
    look = draw.Look(garment="coat", garment_colour="red", background="plain", background_colour="blue")
    img = draw.draw(look)
    assert np.abs(_mean(img, draw.border_mask()) - draw.COLOURS["blue"]).max() < 25
    for framing in ("full", "three-quarter"):
        middle = _mean(draw.draw(draw.Look(garment="coat", garment_colour="red", framing=framing)),
                       draw.middle_mask())
        assert np.abs(middle - draw.COLOURS["red"]).max() < 40, (framing, middle)
    t, b, l, r = draw.mouth_box()
    smile = np.asarray(draw.draw(draw.Look(framing="close-up", expression="smiling")), np.float32)[t:b, l:r]
    plain = np.asarray(draw.draw(draw.Look(framing="close-up")), np.float32)[t:b, l:r]
    assert np.abs(smile - plain).mean() > 10


def test_captions_use_the_words_notes_become():
    rng = random.Random(1)
    caps = [draw.caption(draw.sample(rng), rng) for _ in range(400)]
    text = " | ".join(caps)
    for phrase in ("smiling", "serious expression", "plain white background", "hair in a bun",
                   "sleek hair", "rim light", "warm light", "three-quarter shot", "close-up",
                   "looking at the camera", "earrings", "sunglasses", "a red coat", "city street"):
        assert phrase in text, phrase
    # what a note produces is what the captions say
    for note, term in (("smile more", "smiling"), ("plain white background", "plain white background"),
                       ("hair up", "hair in a bun"), ("close-up", "close-up"), ("add earrings", "earrings")):
        assert any(e.term == term for e in interpret(note).edits), note
        assert term in text
    vocab = set(all_words())
    words = {w for c in caps for w in c.replace(",", " ").replace("-", " ").split()}
    assert words <= vocab, sorted(words - vocab)
