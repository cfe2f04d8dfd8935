"""Engine fixtures: one demo model build and one loaded pipeline per test session."""

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def engine_cache(tmp_path_factory):
    """A session cache folder (demo model, model hashes), shared with CLI subprocesses."""
    old = {k: os.environ.get(k) for k in ("ATELIER_CACHE", "ATELIER_DEVICE")}
    path = tmp_path_factory.mktemp("atelier-cache")
    os.environ["ATELIER_CACHE"] = str(path)
    os.environ["ATELIER_DEVICE"] = "cpu"
    yield path
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def runner(engine_cache):
    """A Runner with the demo model loaded (it stays loaded between jobs)."""
    from app.engine.runner import Runner

    r = Runner()
    r.load("demo")
    return r


@pytest.fixture
def board(studio):
    from app.store import repo

    return repo.create_board(studio, "SS27 denim")


def brief(*subject, expression=(), negative=()):
    """A brief dict for tests: terms as text or (text, weight)."""
    def terms(items):
        return [{"text": t, "weight": 1.0} if isinstance(t, str) else {"text": t[0], "weight": t[1]}
                for t in items]
    slots = {"subject": terms(subject)}
    if expression:
        slots["expression"] = terms(expression)
    return {"slots": slots, "negative": terms(negative)}


def small_job(board_id, **kw):
    from app.engine.jobs import RenderJob

    args = dict(board_id=board_id, brief=brief("a woman in a red silk dress", expression=["smiling"],
                                                 negative=["blurry"]),
                seed=7, steps=2, width=64, height=64, model="demo")
    args.update(kw)
    return RenderJob(**args)
