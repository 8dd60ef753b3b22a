# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Mutable emulator state: clock offset, issued tokens, request log and faults."""

import secrets
import threading
import time

from faults import FaultList
from jobs import JobStore
import seed


class Clock:
    """The emulator's notion of now: real time plus an adjustable offset."""

    def __init__(self):
        self.offset_seconds = 0.0

    def now(self):
        """Return the shifted epoch time in seconds."""
        return time.time() + self.offset_seconds


class TransitionClock:
    """The clock of timed status transitions (monotonic), which a test can pause and resume.

    While it is paused no transition becomes due, so that two requests made one after the other
    see a job in the same status whatever the load of the machine; on resume it goes on from
    where it stopped.
    """

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._paused_at = None
        self._offset = 0.0
        self.resume_on_request = False  # resume when the next API request arrives (see handler.py)

    def __call__(self):
        with self._lock:
            return (self._paused_at if self._paused_at is not None else self._clock()) - self._offset

    @property
    def paused(self):
        """Whether transitions are on hold."""
        return self._paused_at is not None

    def pause(self):
        """Hold every transition where it is."""
        with self._lock:
            if self._paused_at is None:
                self._paused_at = self._clock()

    def resume(self):
        """Let the transitions go on (their remaining time is what it was when paused)."""
        with self._lock:
            self.resume_on_request = False
            if self._paused_at is not None:
                self._offset += self._clock() - self._paused_at
                self._paused_at = None


class Token:
    """An issued IAM token.  ``project`` is None for an unscoped token."""

    def __init__(self, value, project, issued_at, expires_at):
        self.value = value
        self.project = project
        self.issued_at = issued_at
        self.expires_at = expires_at
        self.revoked = False

    def is_expired(self, now):
        """Return True when the token was marked expired or its lifetime is over."""
        return self.revoked or now >= self.expires_at


class TokenStore:
    """Thread-safe store of issued tokens, keyed by token value."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tokens = {}

    def issue(self, project, now, ttl_seconds):
        """Create and remember a new random token."""
        token = Token("MIIEMU" + secrets.token_urlsafe(192), project, now, now + ttl_seconds)
        with self._lock:
            self._tokens[token.value] = token
        return token

    def get(self, value):
        """Return the Token for a value, or None."""
        with self._lock:
            return self._tokens.get(value)

    def expire(self, value):
        """Mark one token expired; return True if it was known."""
        with self._lock:
            token = self._tokens.get(value)
            if token is not None:
                token.revoked = True
            return token is not None

    def expire_all(self):
        """Mark every token expired and return how many there are."""
        with self._lock:
            for token in self._tokens.values():
                token.revoked = True
            return len(self._tokens)

    def values(self):
        """The value of every token, in the order issued."""
        with self._lock:
            return list(self._tokens)

    def forget_all(self):
        """Drop every token."""
        with self._lock:
            self._tokens = {}


class RequestLog:
    """Thread-safe list of the non-admin requests served."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []

    def add(self, entry):
        """Append one entry (a dict)."""
        with self._lock:
            self._entries.append(entry)

    def entries(self):
        """Return a copy of all entries."""
        with self._lock:
            return list(self._entries)

    def clear(self):
        """Forget every entry."""
        with self._lock:
            self._entries = []

    def take(self):
        """Return every entry and forget them, in one step."""
        with self._lock:
            entries, self._entries = self._entries, []
            return entries


class LateWrites:
    """Writes of ``apply_after`` faults, carried out by their timer or, earlier, by the admin call ``late-writes``.

    A test that needs the late write to land after something (a task that adopted another job) lands it
    itself, so that the order does not depend on the machine's load.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = []  # [timer, action, done]

    def schedule(self, delay, action):
        """Run ``action()`` in ``delay`` seconds (in a daemon thread), unless landed before."""
        entry = [None, action, False]
        timer = threading.Timer(delay, self._run, (entry,))
        timer.daemon = True
        entry[0] = timer
        with self._lock:
            self._pending.append(entry)
        timer.start()

    def land(self):
        """Carry every pending late write out now, in the order scheduled; return how many."""
        with self._lock:
            pending, self._pending = self._pending, []
        landed = 0
        for entry in pending:
            entry[0].cancel()
            landed += self._run(entry)
        return landed

    def _run(self, entry):
        with self._lock:
            if entry[2]:
                return 0
            entry[2] = True
            if entry in self._pending:
                self._pending.remove(entry)
        entry[1]()
        return 1


class LifecycleSettings:
    """How the asynchronous operations of the write API behave (admin call ``lifecycle``)."""

    def __init__(self, transition_seconds=1.0):
        self.transition_seconds = float(transition_seconds)
        self.run_status = 8  # where created and restarted jobs end; another code makes them fail
        self.delete_status = None  # where a deleted job ends: None is gone, 6 (delete_failed) a delete that fails

    def describe(self):
        """The settings as a JSON-able dict."""
        return {"transition_seconds": self.transition_seconds, "run_status": self.run_status,
                "delete_status": self.delete_status}


class EmulatorState:
    """Everything the request handlers share."""

    def __init__(self, bulk_jobs=0, token_ttl=86400, transition_seconds=1.0):
        self.bulk_jobs = bulk_jobs
        self.transition_clock = TransitionClock()
        self.jobs = JobStore(seed.seed_jobs(bulk_jobs), clock=self.transition_clock)
        self.lifecycle = LifecycleSettings(transition_seconds)
        self.token_ttl = token_ttl
        self.clock = Clock()
        self.calendar = Clock()  # the create_time of new jobs only, so that a test can make jobs of other days
        self.tokens = TokenStore()
        self.requests = RequestLog()
        self.faults = FaultList()
        self.late_writes = LateWrites()
        self.page_cap = None

    def reset(self, forget_tokens=False, reseed_jobs=False):
        """Clear the request log, faults, clock and calendar offsets and page cap, resume transitions (and forget tokens, and
        undo every job change, if asked)."""
        self.requests.clear()
        self.faults.clear()
        self.clock.offset_seconds = 0.0
        self.calendar.offset_seconds = 0.0
        self.page_cap = None
        self.transition_clock.resume()
        if forget_tokens:
            self.tokens.forget_all()
        if reseed_jobs:
            self.jobs.replace(seed.seed_jobs(self.bulk_jobs))
