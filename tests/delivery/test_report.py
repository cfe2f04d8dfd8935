"""The contact sheet: every shot's number, status and approver in the text; pages render."""

from __future__ import annotations

import json

import pytest

from tests.delivery.conftest import add_shot


def _note_child(studio, parent, text, author="Sanne"):
    from app.store import repo
    from app.store.records import NoteDraft, ShotDraft

    from tests.delivery.conftest import figure

    draft = ShotDraft(board_id=parent.board_id, brief={}, prompt=parent.prompt + ", smiling",
                      negative="", model="demo", model_hash="cd" * 32, seed=parent.seed, steps=20,
                      guidance=7.5, width=512, height=512, scheduler=None)
    note = NoteDraft(shot_id=parent.id, text=text, language="en", author=author, role="stylist", edits=[])
    (child,) = repo.add_shots(studio, [draft], [figure(99)], note=note)
    return child


def test_contact_sheet_holds_every_shot(studio, board, cli, tmp_path):
    from pypdf import PdfReader

    from app.store import repo

    a = add_shot(studio, board, 1, "approved")
    b = add_shot(studio, board, 2, "reject")
    c = _note_child(studio, a, "smile a bit more <b>please</b>")
    repo.decide(studio, "approve", "Jules Noor", "art-director", reason="now it sings", shot_id=c.id)
    repo.rate(studio, c.id, 4)
    d = add_shot(studio, board, 4)
    assert cli("export", c.id, "--preset", "story", "--to", tmp_path / "out")[0] == 0
    pdf = tmp_path / "sheet.pdf"
    code, out, err = cli("report", "--board", "Spring Look", "--pdf", pdf, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["shots"] == 4 and result["pages"] >= 2
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == result["pages"]
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())  # lines wrap
    for shot, status in ((a, "approved"), (b, "rejected"), (c, "approved"), (d, "new")):
        assert f"Shot {shot.id} · {status}" in text
    assert "approved by Mira (art-director)" in text
    assert "approved by Jules Noor (art-director)" in text and "now it sings" in text
    assert "rejected by Mira (art-director)" in text
    assert "smile a bit more <b>please</b>" in text  # people's words as text, never markup
    assert "Exported: yes — story" in text and "Exported: no" in text
    assert "Model: demo" in text
    assert "Spring Look" in reader.pages[0].extract_text() and "exported" in reader.pages[0].extract_text()


def test_pages_render(studio, board, cli, tmp_path):
    pdfium = pytest.importorskip("pypdfium2")
    import numpy as np

    for seed in range(5):
        add_shot(studio, board, seed, "approved")
    pdf = tmp_path / "sheet.pdf"
    assert cli("report", "--board", "Spring Look", "--pdf", pdf)[0] == 0
    doc = pdfium.PdfDocument(str(pdf))
    assert len(doc) >= 2
    for i in range(len(doc)):
        img = doc[i].render(scale=0.5).to_pil()
        a = np.asarray(img.convert("L"))
        assert a.std() > 5  # something is drawn on every page
    # the shots' pages show pictures: many non-white colours
    shots_page = np.asarray(doc[1].render(scale=0.5).to_pil().convert("RGB"))
    assert len(np.unique(shots_page.reshape(-1, 3), axis=0)) > 200


def test_report_bad_input(cli, studio, board, tmp_path):
    code, out, err = cli("report", "--board", "Nope", "--pdf", tmp_path / "x.pdf")
    assert code == 2
    code, out, err = cli("report", "--board", "Spring Look", "--pdf", tmp_path / "missing" / "x.pdf")
    assert code == 2 and "no folder" in err
    assert not (tmp_path / "x.pdf").exists()


def test_contact_sheet_names_the_twin_consent_and_use(studio, cli, tmp_path):
    pytest.importorskip("app.talent")
    from datetime import date, timedelta

    from pypdf import PdfReader

    from app.store import repo as store
    from app.store.records import ShotDraft
    from app.talent import enforce, repo

    from tests.delivery.conftest import figure

    today = date.today()
    repo.add_talent(studio, "Mila", "Elite")
    consent = repo.grant_consent(studio, "Mila", "Acme", "ecommerce", "EU",
                                 (today - timedelta(days=30)).isoformat(),
                                 (today + timedelta(days=30)).isoformat(), "40", "EUR", "export")
    board = store.create_board(studio, "Acme shop")
    repo.set_board_use(studio, board.id, "Acme", "ecommerce", "NL")
    draft = ShotDraft(board_id=board.id, brief={}, prompt="p", negative="", model="demo", model_hash="",
                      seed=1, steps=1, guidance=7.0, width=256, height=256, scheduler=None)
    grant = enforce.authorize(studio, board.id, "Mila")
    (shot,) = store.add_shots(studio, [draft], [figure(3, (256, 256))], after=enforce.recorder(grant))
    store.decide(studio, "approve", "Ada", "art-director", shot_id=shot.id)
    code, out, err = cli("export", shot.id, "--preset", "pdp-4x5", "--to", tmp_path / "out")
    assert code == 0, err
    code, out, err = cli("export", shot.id, "--preset", "story", "--to", tmp_path / "out2")
    assert code == 4  # social is outside the consent
    pdf = tmp_path / "sheet.pdf"
    assert cli("report", "--board", "Acme shop", "--pdf", pdf)[0] == 0
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(pdf)).pages).split())
    assert f"Twin: Mila · consent {consent.id}" in text
    assert "Use: Acme · ecommerce · NL" in text
