# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Polling until a condition holds, with an interval that starts short and grows to a bound.

Standard library only, so that tools (the benchmark) can load this file on its own and
compute how many polls a wait of a given length may make.
"""

from __future__ import annotations

import time

FIRST_INTERVAL = 0.5
GROWTH = 2.0
MAX_INTERVAL = 10.0
_UNSET = object()


def intervals():
    """The sleeps between polls: 0.5, 1, 2, 4, 8, 10, 10, ... seconds."""
    interval = FIRST_INTERVAL
    while True:
        yield interval
        interval = min(MAX_INTERVAL, interval * GROWTH)


def max_polls(seconds):
    """The most polls a wait that lasted ``seconds`` can have made (the first poll is immediate)."""
    polls, slept = 1, 0.0
    for interval in intervals():
        slept += interval
        if slept > seconds:
            return polls
        polls += 1
    return polls  # pragma: no cover - intervals() never ends


class WaitTimeout(Exception):
    """The deadline passed before the condition held; ``last`` is the last value read."""

    def __init__(self, last, waited):
        super().__init__("timed out after %d s" % waited)
        self.last = last
        self.waited = waited


class Waiter:
    """Polls ``read()`` until ``done(value)``; every wait of one Waiter shares one deadline.

    The deadline starts with the first wait, so ``timeout`` bounds all the waiting of a
    module run, not each wait.
    """

    def __init__(self, timeout, clock=time.monotonic, sleep=time.sleep):
        self.timeout = timeout
        self._clock = clock
        self._sleep = sleep
        self.started = None
        self.polls = 0

    def waited(self):
        """Seconds since the first wait started (0 before)."""
        return 0.0 if self.started is None else self._clock() - self.started

    def until(self, read, done, first=_UNSET):
        """Return the first value of ``read()`` for which ``done`` holds; raise WaitTimeout.

        ``first`` is a value already read (None included): it is checked without a request,
        and the first poll comes one interval later.
        """
        if self.started is None:
            self.started = self._clock()
        deadline = self.started + self.timeout
        schedule = intervals()
        value = None
        if first is not _UNSET:
            value = first
            if done(value):
                return value
            self._pause(next(schedule), deadline, value)
        while True:
            value = read()
            self.polls += 1
            if done(value):
                return value
            self._pause(next(schedule), deadline, value)

    def _pause(self, interval, deadline, last):
        remaining = deadline - self._clock()
        if remaining <= 0:
            raise WaitTimeout(last, self.waited())
        self._sleep(min(interval, remaining))
