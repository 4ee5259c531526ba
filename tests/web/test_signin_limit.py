"""The sign-in limit is counted in the database: workers share it, parallel guesses are counted exactly."""

from __future__ import annotations

import collections
import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from flask import Flask

from catalog.db import get_session
from catalog.models import SigninFailure
from catalog.web.ratelimit import PRUNE_BATCH
from catalog.web.ratelimit import FailureLimiter
from tests.web.conftest import PASSWORD
from tests.web.conftest import csrf_token
from tests.web.conftest import sign_in

IP = "10.0.0.7"


def stored_failures(app: Flask) -> list[int]:
    with app.app_context():
        return list(get_session().scalars(sa.select(SigninFailure.failures)))


def test_failures_on_two_workers_add_up_to_one_limit(app: Flask, other_worker: Flask, editor: str) -> None:
    first, second = app.test_client(), other_worker.test_client()
    for client in (first, second, first, second, first):
        assert sign_in(client, editor, "guess", ip=IP).status_code == 401
    for client in (first, second):
        locked = sign_in(client, editor, PASSWORD, ip=IP)
        assert locked.status_code == 429
        assert 0 < int(locked.headers["Retry-After"]) <= 300
        assert "Too many failed attempts. Wait 5 minutes, then try again." in locked.get_data(as_text=True)
    # the name stays locked from any other address: guesses cannot walk around it
    assert sign_in(second, editor, PASSWORD, ip="10.0.0.8").status_code == 429


def test_a_success_on_one_worker_clears_the_count_on_the_other(
    app: Flask, other_worker: Flask, editor: str
) -> None:
    first, second = app.test_client(), other_worker.test_client()
    for _ in range(4):
        assert sign_in(first, editor.upper(), "guess", ip=IP).status_code == 401  # the name is casefolded
    assert sign_in(second, editor, PASSWORD, ip=IP).status_code == 302
    assert stored_failures(app) == []
    for _ in range(5):
        assert sign_in(first, editor, "guess", ip=IP).status_code == 401
    assert sign_in(first, editor, PASSWORD, ip=IP).status_code == 429


def test_parallel_guesses_on_two_workers_are_counted_exactly(
    app: Flask, other_worker: Flask, editor: str
) -> None:
    """Sixteen wrong passwords sent at once: each is counted, and only five reach the password check."""
    guesses = 16
    start = threading.Barrier(guesses)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def guess(worker: Flask) -> None:
        try:
            client = worker.test_client()
            token = csrf_token(client.get("/signin").get_data(as_text=True))
            form = {"name": editor, "password": "guess", "csrf_token": token}
            start.wait(timeout=30)
            statuses.append(client.post("/signin", data=form, environ_base={"REMOTE_ADDR": IP}).status_code)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=guess, args=((app, other_worker)[n % 2],)) for n in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert collections.Counter(statuses) == {401: 5, 429: guesses - 5}
    assert stored_failures(app) == [guesses, guesses]  # one count for the name, one for the address


def test_the_window_closes_and_expired_rows_are_pruned(app: Flask) -> None:
    now = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    limiter = FailureLimiter(limit=2, window=60, clock=lambda: now)
    with app.app_context():
        session = get_session()
        for number in range(PRUNE_BATCH + 5):
            assert limiter.attempt(session, f"someone-{number}|10.0.0.1") == 0
        assert limiter.attempt(session, "olga|10.0.0.7") == 0
        assert limiter.attempt(session, "olga|10.0.0.7") == 0
        now += dt.timedelta(seconds=10)
        assert limiter.attempt(session, "olga|10.0.0.7") == 50
        assert limiter.attempt(session, "OLGA|10.0.0.7".casefold()) == 50
        now += dt.timedelta(seconds=51)  # the window of every key has closed
        assert limiter.attempt(session, "olga|10.0.0.7") == 0  # a new window, counted afresh
        rows = session.execute(sa.select(SigninFailure.key, SigninFailure.failures)).all()
        assert len(rows) == 1 + 5, "each attempt removes up to PRUNE_BATCH expired rows"
        limiter.attempt(session, "someone-else|10.0.0.1")
        failures = session.scalars(sa.select(SigninFailure.failures).order_by(SigninFailure.key)).all()
        assert sorted(failures) == [1, 1]
        assert not [key for key, _ in rows if "olga" in key or "10.0.0" in key], "keys are stored hashed"
        limiter.reset(session, "olga|10.0.0.7")
        assert session.scalar(sa.select(sa.func.count()).select_from(SigninFailure)) == 1


def test_a_limiter_needs_a_limit_and_a_window() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        FailureLimiter(limit=0)
    with pytest.raises(ValueError, match="longer than 0"):
        FailureLimiter(window=0)
