"""An agency's usage statement: a PDF with every ledger line of its twins, subtotals per
talent and the total due per currency, for the period asked."""

import json

import pytest

from tests.talent.test_consent_cli import board, render, setup_talent

pytestmark = pytest.mark.usefixtures("no_real_models")

pypdf = pytest.importorskip("pypdf")


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


def test_the_statement_lists_each_use_and_the_total_due(cli, studio_dir, astronaut, tmp_path):
    consent = setup_talent(cli, astronaut)
    board(cli, "Acme shop")
    code, out, err = render(cli, "Acme shop", "--count", "2")
    assert code == 0, err
    shots = [s["id"] for s in json.loads(out)["shots"]]

    target = tmp_path / "elite-december.pdf"
    code, out, err = cli("ledger", "--agency", "Elite", "--statement", str(target))
    assert code == 0, err
    assert "2 lines for Elite, 50.00 EUR" in out
    text = pdf_text(target)
    assert "Usage statement" in text and "Agency: Elite" in text
    assert "Mila" in text and "Acme shop" in text
    for shot in shots:
        assert f" {shot} " in text.replace("\n", " ")
    assert text.count("25.00 EUR") == 2
    assert f" {consent} " in text.replace("\n", " ")
    assert "Subtotal Mila: 50.00 EUR" in text
    assert "Total due: 50.00 EUR" in text


def test_another_agency_or_period_owes_nothing(cli, studio_dir, astronaut, tmp_path):
    setup_talent(cli, astronaut)
    board(cli, "Acme shop")
    assert render(cli, "Acme shop")[0] == 0
    target = tmp_path / "other.pdf"
    code, out, err = cli("ledger", "--agency", "Ford", "--statement", str(target))
    assert code == 0, err
    assert "0 lines" in out and "nothing due" in out
    assert "No use of Ford" in pdf_text(target)
    code, out, err = cli("ledger", "--agency", "Elite", "--until", "2000-01-01", "--statement", str(target))
    assert code == 0 and "0 lines" in out


@pytest.mark.parametrize("argv, message", [
    (["--statement", "x.pdf"], "--agency"),
    (["--agency", "Elite", "--statement", "x.txt"], ".pdf"),
    (["--agency", "Elite", "--talent", "Mila", "--statement", "x.pdf"], "leave out --talent"),
    (["--agency", "Elite", "--statement", "/no/such/folder/x.pdf"], "no folder"),
])
def test_bad_statement_requests_are_one_line_and_write_nothing(cli, studio_dir, astronaut, tmp_path,
                                                                argv, message, monkeypatch):
    setup_talent(cli, astronaut)
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("ledger", *argv)
    assert code == 2, (out, err)
    assert message in err and len(err.strip().splitlines()) == 1
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob("*.txt"))
