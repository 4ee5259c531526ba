"""The in-memory per-client limits: a sliding window per key, bounded in size, keyed by a hash."""

from __future__ import annotations

import pytest

from catalog.live.throttle import SlidingWindow
from catalog.live.throttle import client_key


def test_a_key_is_admitted_up_to_the_limit_then_told_how_long_to_wait() -> None:
    window = SlidingWindow(limit=3, window=60.0)
    assert [window.hit("a", at) for at in (0.0, 10.0, 20.0)] == [0, 0, 0]
    assert window.hit("a", 30.0) == 30  # the first hit leaves the window at 60 s
    assert window.hit("b", 30.0) == 0  # other keys are not held back
    assert window.hit("a", 59.5) == 1
    assert window.hit("a", 60.0) == 0
    assert window.hit("a", 60.5) == 10  # refused hits are not counted: the second one leaves at 70 s


def test_the_oldest_keys_are_forgotten_beyond_the_bound() -> None:
    window = SlidingWindow(limit=1, window=300.0, max_keys=2)
    for key in ("a", "b", "c"):
        assert window.hit(key, 0.0) == 0
    assert window.hit("a", 1.0) == 0  # "a" was forgotten to keep two keys
    assert window.hit("c", 1.0) == 299


@pytest.mark.parametrize(("limit", "seconds"), [(0, 60.0), (1, 0.0)])
def test_a_window_that_admits_nothing_is_refused(limit: int, seconds: float) -> None:
    with pytest.raises(ValueError, match="limit"):
        SlidingWindow(limit, seconds)


def test_client_keys_hide_the_address() -> None:
    key = client_key("secret", "198.51.100.7")
    assert "198.51.100.7" not in key and len(key) == 32
    assert key == client_key("secret", "198.51.100.7") != client_key("other secret", "198.51.100.7")
    assert key != client_key("secret", "198.51.100.8")
