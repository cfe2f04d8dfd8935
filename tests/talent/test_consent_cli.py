"""The judged scenario: a consent for Acme, e-commerce, EU, 25 EUR per render, on the
command line with the demo model; refusals are exit 4 and render nothing."""

import csv
import io
import json
import sqlite3

import pytest

from tests.talent.conftest import LAST_MONTH, NEXT_MONTH, YESTERDAY

pytestmark = pytest.mark.usefixtures("no_real_models")


def setup_talent(cli, astronaut, until=NEXT_MONTH, basis="render"):
    assert cli("talent", "add", "Mila", "--agency", "Elite", "--reference", astronaut)[0] == 0
    code, out, err = cli("consent", "grant", "Mila", "--client", "Acme", "--channels", "ecommerce",
                         "--territories", "EU", "--from", LAST_MONTH, "--until", until,
                         "--fee", "25", "--currency", "EUR", "--basis", basis, "--json")
    assert code == 0, err
    return json.loads(out)["id"]


def board(cli, name, client="Acme", channels="ecommerce", territories="EU"):
    code, out, err = cli("board", "new", name, "--client", client, "--channels", channels,
                         "--territories", territories, "--json")
    assert code == 0, err
    return json.loads(out)


def render(cli, board_name, *extra):
    return cli("generate", "--board", board_name, "--prompt", "a woman in a linen dress", "--seed", "3",
               "--steps", "1", "--size", "64x64", "--twin", "Mila", "--json", *extra)


def shot_count(studio_dir):
    with sqlite3.connect(studio_dir / "atelier.db") as conn:
        return conn.execute("SELECT COUNT(*) FROM shots").fetchone()[0]


def ledger(cli, *extra):
    code, out, err = cli("ledger", "--json", *extra)
    assert code == 0, err
    return json.loads(out)


def test_two_twin_shots_on_a_covered_board_make_two_lines_and_50_eur(cli, studio_dir, astronaut):
    consent = setup_talent(cli, astronaut)
    b = board(cli, "Acme shop")
    assert b["use"] == {"client": "Acme", "channels": ["ecommerce"], "territories": ["EU"]}
    code, out, err = render(cli, "Acme shop", "--count", "2")
    assert code == 0, err
    shots = json.loads(out)["shots"]
    assert len(shots) == 2
    data = ledger(cli)
    assert [(l["shot"], l["event"], l["consent"], l["fee"], l["currency"], l["channel"]) for l in data["lines"]] == [
        (shots[0]["id"], "render", consent, 25.0, "EUR", "ecommerce"),
        (shots[1]["id"], "render", consent, 25.0, "EUR", "ecommerce")]
    assert data["totals"] == {"Mila": {"EUR": 50.0}}

    code, out, _ = cli("ledger", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(int(r["shot"]), r["event"], int(r["consent"]), float(r["fee"]), r["currency"], r["time"], r["talent"])
            for r in rows] == [(l["shot"], l["event"], l["consent"], l["fee"], l["currency"], l["time"], l["talent"])
                               for l in data["lines"]]
    assert cli("history", "--verify")[0] == 0


@pytest.mark.parametrize("name, use, expected", [
    ("Acme social", ("Acme", "social", "EU"), "does not cover channel social"),
    ("Acme US", ("Acme", "ecommerce", "US"), "does not cover territory US"),
    ("Acme shop and social", ("Acme", "ecommerce,social", "NL"), "does not cover channel social"),
    ("Globex shop", ("Globex", "ecommerce", "EU"), "is for client Acme, not Globex"),
])
def test_a_board_outside_the_consent_is_refused_and_nothing_is_rendered(cli, studio_dir, astronaut,
                                                                        name, use, expected):
    setup_talent(cli, astronaut)
    board(cli, name, *use)
    code, out, err = render(cli, name)
    assert code == 4 and out == ""
    assert expected in err and "refused" in err
    assert shot_count(studio_dir) == 0 and ledger(cli)["lines"] == []


def test_a_consent_that_ended_yesterday_is_refused(cli, studio_dir, astronaut):
    setup_talent(cli, astronaut, until=YESTERDAY)
    board(cli, "Acme shop")
    code, _, err = render(cli, "Acme shop")
    assert code == 4 and f"expired on {YESTERDAY}" in err
    assert shot_count(studio_dir) == 0


def test_revoked_consent_refuses_render_and_direct_of_a_twin_shot(cli, studio_dir, astronaut):
    consent = setup_talent(cli, astronaut)
    board(cli, "Acme shop")
    code, out, err = render(cli, "Acme shop")
    assert code == 0, err
    (shot,) = json.loads(out)["shots"]
    # direct keeps the parent's twin: while the consent holds, the child is ledgered too
    code, out, err = cli("direct", shot["id"], "--note", "smile more", "--by", "Ann", "--role", "stylist", "--json")
    assert code == 0, err
    (child,) = json.loads(out)["shots"]
    assert [l["shot"] for l in ledger(cli)["lines"]] == [shot["id"], child["id"]]

    code, out, err = cli("consent", "revoke", consent, "--by", "Elite bookings", "--role", "talent",
                         "--why", "the campaign was cancelled")
    assert code == 0, err
    before = shot_count(studio_dir)
    code, _, err = render(cli, "Acme shop")
    assert code == 4 and "revoked by Elite bookings (talent)" in err and "campaign was cancelled" in err
    code, out, err = cli("direct", shot["id"], "--note", "smile more", "--by", "Ann", "--role", "stylist")
    assert code == 4 and "revoked by Elite bookings" in err and out == ""
    assert shot_count(studio_dir) == before and len(ledger(cli)["lines"]) == 2
    code, out, _ = cli("consent", "list", "--json")
    (c,) = json.loads(out)["consents"]
    assert c["revoked"] and c["revocation"]["reason"] == "the campaign was cancelled"
    assert cli("consent", "revoke", consent, "--by", "X", "--role", "talent", "--why", "again")[0] == 2


def test_a_board_without_a_use_and_a_talent_without_consent_are_refused(cli, studio_dir, astronaut):
    assert cli("talent", "add", "Mila", "--agency", "Elite", "--reference", astronaut)[0] == 0
    assert cli("board", "new", "Plain")[0] == 0
    code, _, err = render(cli, "Plain")
    assert code == 4 and "declares no use" in err and "board use" in err
    assert cli("board", "use", "Plain", "--client", "Acme", "--channels", "ecommerce", "--territories", "NL")[0] == 0
    code, _, err = render(cli, "Plain")
    assert code == 4 and "Mila has no consent" in err
    assert shot_count(studio_dir) == 0


def test_render_basis_export_means_renders_owe_nothing(cli, studio_dir, astronaut):
    setup_talent(cli, astronaut, basis="export")
    board(cli, "Acme shop")
    assert render(cli, "Acme shop")[0] == 0
    data = ledger(cli)
    assert [l["fee"] for l in data["lines"]] == [0.0] and data["totals"] == {"Mila": {"EUR": 0.0}}


@pytest.mark.parametrize("argv, message", [
    (("--channels", "tv"), "unknown channel 'tv'"),
    (("--territories", "UK"), "use GB"),
    (("--from", "2026-13-01"), "YYYY-MM-DD"),
    (("--until", "2020-01-01"), "ends (2020-01-01) before it starts"),
    (("--fee", "-5"), "zero or more"),
    (("--currency", "euro"), "three-letter"),
    (("--evidence", "/nonexistent/agreement.pdf"), "is not a file"),
])
def test_bad_consent_input_is_one_line_and_writes_nothing(cli, studio_dir, astronaut, argv, message):
    assert cli("talent", "add", "Mila", "--agency", "Elite", "--reference", astronaut)[0] == 0
    base = {"--client": "Acme", "--channels": "ecommerce", "--territories": "EU", "--from": LAST_MONTH,
            "--until": NEXT_MONTH, "--fee": "25", "--currency": "EUR"}
    base[argv[0]] = argv[1]
    args = [x for kv in base.items() for x in kv]
    code, out, err = cli("consent", "grant", "Mila", *args)
    assert code == 2 and message in err and err.count("\n") == 1
    assert json.loads(cli("consent", "list", "--json")[1])["consents"] == []


def test_history_verify_catches_a_fee_edited_in_the_database(cli, studio_dir, astronaut):
    setup_talent(cli, astronaut)
    board(cli, "Acme shop")
    assert render(cli, "Acme shop", "--count", "2")[0] == 0
    assert cli("history", "--verify")[0] == 0
    with sqlite3.connect(studio_dir / "atelier.db") as conn:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE ledger SET fee = '2.50' WHERE id = 1")
        conn.execute("DROP TRIGGER ledger_no_update")
        conn.execute("UPDATE ledger SET fee = '2.50' WHERE id = 1")
        conn.execute("""CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
          BEGIN SELECT RAISE(ABORT, 'ledger are append-only'); END""")
    code, _, err = cli("history", "--verify")
    assert code == 5 and "ledger line 1" in err
