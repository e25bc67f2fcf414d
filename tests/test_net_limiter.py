"""Host limiter pieces: Retry-After parsing and the global gate's fairness."""

from __future__ import annotations

import threading
import time
from email.utils import formatdate

import pytest

from linkwriter.core.net.limiter import Cancelled, _FifoGate, parse_retry_after


def test_retry_after_forms():
    now = time.time()
    assert parse_retry_after("5", 60) == 5
    assert parse_retry_after("600", 60) == 60  # capped
    assert 9 <= parse_retry_after(formatdate(now + 10, usegmt=True), 60, now) <= 10
    assert parse_retry_after(formatdate(now - 100, usegmt=True), 60, now) == 0  # in the past
    assert parse_retry_after("soon", 60) is None and parse_retry_after(None, 60) is None


def test_gate_hands_slots_over_in_arrival_order():
    gate = _FifoGate(1)
    gate.acquire(lambda: None)
    order: list[int] = []
    threads = []
    for i in range(5):
        t = threading.Thread(
            target=lambda i=i: (gate.acquire(lambda: None), order.append(i), gate.release())
        )
        t.start()
        threads.append(t)
        time.sleep(0.02)  # arrive one after another
    gate.release()
    for t in threads:
        t.join(5)
    assert order == [0, 1, 2, 3, 4]


def test_gate_waiter_that_gives_up_does_not_leak_the_slot():
    gate = _FifoGate(1)
    gate.acquire(lambda: None)
    stop = threading.Event()

    def check():
        if stop.is_set():
            raise Cancelled

    failed = []

    def waiter():
        try:
            gate.acquire(check)
        except Cancelled:
            failed.append(True)

    t = threading.Thread(target=waiter)
    t.start()
    time.sleep(0.05)
    stop.set()
    t.join(5)
    assert failed == [True]
    gate.release()
    gate.acquire(lambda: None)  # the one slot is still there
    with pytest.raises(Cancelled):
        gate.acquire(check)  # and only one


def test_gate_serves_urgent_waiters_first_then_the_rest_in_arrival_order():
    """A retry (urgent) takes the next free slot before URLs that have not started yet."""
    gate = _FifoGate(1)
    gate.acquire(lambda: None)
    order: list[str] = []
    threads = []
    for name, urgent in (("new1", False), ("new2", False), ("retry1", True), ("retry2", True)):
        t = threading.Thread(
            target=lambda name=name, urgent=urgent: (
                gate.acquire(lambda: None, urgent=urgent),
                order.append(name),
                gate.release(),
            )
        )
        t.start()
        threads.append(t)
        time.sleep(0.02)
    gate.release()
    for t in threads:
        t.join(5)
    assert order == ["retry1", "retry2", "new1", "new2"]


def test_urgent_waiter_that_gives_up_does_not_leak_the_slot():
    gate = _FifoGate(1)
    gate.acquire(lambda: None)

    def give_up():
        raise Cancelled

    with pytest.raises(Cancelled):
        gate.acquire(give_up, urgent=True)
    gate.release()
    gate.acquire(lambda: None)  # the slot came back
