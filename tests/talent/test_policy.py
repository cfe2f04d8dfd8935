"""The consent rules, without a studio."""

from datetime import date

import pytest

from app.talent import policy
from app.talent.policy import PolicyError, Terms, Use

DAY = date(2026, 6, 15)


def terms(**kw):
    base = dict(id=1, client="Acme", channels=("ecommerce",), territories=("EU",),
                valid_from="2026-01-01", valid_until="2026-12-31")
    return Terms(**{**base, **kw})


def test_a_consent_covers_its_own_use_case_insensitively():
    assert policy.problems(terms(), Use("acme", ("ecommerce",), ("EU",)), DAY) == []


@pytest.mark.parametrize("use, expected", [
    (Use("Acme", ("social",), ("EU",)), ["does not cover channel social"]),
    (Use("Acme", ("ecommerce",), ("US",)), ["does not cover territory US"]),
    (Use("Acme", ("ecommerce", "print"), ("NL", "US", "CA")),
     ["does not cover channel print", "does not cover territories US, CA"]),
    (Use("Globex", ("ecommerce",), ("EU",)), ["is for client Acme, not Globex"]),
])
def test_what_is_missing_is_named(use, expected):
    assert policy.problems(terms(), use, DAY) == expected


def test_period_ends_are_inclusive_and_named():
    use = Use("Acme", ("ecommerce",), ("EU",))
    assert policy.problems(terms(valid_until="2026-06-15"), use, DAY) == []
    assert policy.problems(terms(valid_from="2026-06-15"), use, DAY) == []
    assert policy.problems(terms(valid_until="2026-06-14"), use, DAY) == ["expired on 2026-06-14"]
    assert policy.problems(terms(valid_from="2026-06-16"), use, DAY) == ["starts on 2026-06-16"]


def test_eu_world_and_member_states():
    assert policy.territory_covered("NL", ("EU",))
    assert not policy.territory_covered("NO", ("EU",))  # Norway is not in the EU
    assert policy.territory_covered("US", ("WORLD",))
    assert not policy.territory_covered("EU", ("NL", "DE"))
    assert policy.territory_covered("EU", tuple(policy.EU))


def test_revoked_consent_never_covers_and_the_newest_covering_one_is_chosen():
    use = Use("Acme", ("ecommerce",), ("NL",))
    old, revoked = terms(id=1), terms(id=2, revoked="by Mila (talent) on 2026-06-01: no")
    chosen, refusals = policy.choose([old, revoked], use, DAY)
    assert chosen.id == 1 and refusals[0][0].id == 2 and "revoked by Mila" in refusals[0][1][0]
    chosen, refusals = policy.choose([revoked], use, DAY)
    assert chosen is None


def test_one_channel_of_an_export():
    t = terms(channels=("ecommerce",))
    use = Use("Acme", ("ecommerce", "social"), ("EU",))
    assert policy.problems(t, use, DAY) == ["does not cover channel social"]
    assert policy.problems(t, use, DAY, channel="ecommerce") == []


def test_vocabulary_is_checked_with_a_helpful_line():
    assert policy.channels("E-commerce, social,social") == ("ecommerce", "social")
    assert policy.territories("nl, eu ,world") == ("NL", "EU", "WORLD")
    with pytest.raises(PolicyError, match="unknown channel 'tv'"):
        policy.channels("ecommerce,tv")
    with pytest.raises(PolicyError, match="use GB"):
        policy.territories("UK")
    with pytest.raises(PolicyError, match="unknown territory 'XX'"):
        policy.territories("XX")
    with pytest.raises(PolicyError, match="empty"):
        policy.channels(" , ")


def test_fees_are_exact_decimals_in_the_currency_minor_units():
    assert policy.fee("25", "EUR") == "25.00"
    assert policy.fee("1000", "JPY") == "1000"
    for bad in ("-1", "abc", "nan", "inf", "1.234"):
        with pytest.raises(PolicyError):
            policy.fee(bad, "EUR")
    with pytest.raises(PolicyError):
        policy.currency("euro")
    assert policy.due("render", "render", "25.00", "EUR") == "25.00"
    assert policy.due("render", "export", "25.00", "EUR") == "0.00"


def test_dates_must_be_iso():
    assert policy.iso_date("2026-02-28", "--from") == "2026-02-28"
    for bad in ("2026-02-30", "28-02-2026", "2026-2-8", "tomorrow"):
        with pytest.raises(PolicyError, match="YYYY-MM-DD"):
            policy.iso_date(bad, "--from")
