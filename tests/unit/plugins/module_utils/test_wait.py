# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The poll loop: growing bounded interval, one shared deadline, the last value on timeout."""

from __future__ import annotations

import itertools

import pytest

from ansible_collections.hwcloud.modelarts.plugins.module_utils import _wait


class FakeTime:
    """A clock that only moves when the code sleeps."""

    def __init__(self):
        self.now = 100.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_intervals_grow_and_are_bounded():
    assert list(itertools.islice(_wait.intervals(), 8)) == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0, 10.0]


@pytest.mark.parametrize("seconds, polls", [(0, 1), (0.4, 1), (0.5, 2), (1.4, 2), (1.5, 3), (3.5, 4), (15.5, 6),
                                            (25.5, 7), (45.5, 9)])
def test_max_polls(seconds, polls):
    assert _wait.max_polls(seconds) == polls


def test_polls_until_done_with_the_schedule():
    fake = FakeTime()
    values = iter([1, 7, 7, 8])
    waiter = _wait.Waiter(600, clock=fake.clock, sleep=fake.sleep)
    assert waiter.until(lambda: next(values), lambda value: value == 8) == 8
    assert fake.sleeps == [0.5, 1.0, 2.0]
    assert waiter.polls == 4


def test_a_value_already_read_is_checked_first_without_a_request():
    fake = FakeTime()
    waiter = _wait.Waiter(600, clock=fake.clock, sleep=fake.sleep)
    reads = []
    assert waiter.until(lambda: reads.append(1), lambda value: value == 8, first=8) == 8
    assert reads == [] and fake.sleeps == []
    # None is a value too (a job that is gone)
    assert waiter.until(lambda: reads.append(1), lambda value: value is None, first=None) is None
    assert reads == []


def test_first_value_then_polls_one_interval_later():
    fake = FakeTime()
    waiter = _wait.Waiter(600, clock=fake.clock, sleep=fake.sleep)
    values = iter([13])
    assert waiter.until(lambda: next(values), lambda value: value == 13, first=9) == 13
    assert fake.sleeps == [0.5]


def test_timeout_raises_with_the_last_value_and_the_time_waited():
    fake = FakeTime()
    waiter = _wait.Waiter(10, clock=fake.clock, sleep=fake.sleep)
    with pytest.raises(_wait.WaitTimeout) as raised:
        waiter.until(lambda: 7, lambda value: value == 8)
    assert raised.value.last == 7
    assert raised.value.waited == pytest.approx(10)
    # 0.5 + 1 + 2 + 4 and then only the 2.5 s left
    assert fake.sleeps == [0.5, 1.0, 2.0, 4.0, 2.5]


def test_waits_share_one_deadline():
    fake = FakeTime()
    waiter = _wait.Waiter(5, clock=fake.clock, sleep=fake.sleep)
    values = iter([1, 1, 8])
    waiter.until(lambda: next(values), lambda value: value == 8)  # 1.5 s
    with pytest.raises(_wait.WaitTimeout) as raised:
        waiter.until(lambda: 9, lambda value: value == 13)
    # the second wait has only the 3.5 s the first one left: the clock says so, whatever waited() measures from
    assert fake.now - 100.0 == pytest.approx(5) and sum(fake.sleeps) == pytest.approx(5)
    assert raised.value.waited == pytest.approx(5)
