# -*- coding: utf-8 -*-
# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connections the items of one loop share, in the worker process of one task.

ansible-core forks one worker process per task and host and runs every item of the task's loop
(and every ``until`` retry) in it. The in-process action base (``_in_process.py``) hands the
pool of that process to each item's :class:`Task`, so items whose connection settings are all
the same share one :class:`Connection`: one keep-alive HTTP session, one IAM token (password
auth), one project id look-up (AK/SK or a token without ``project_id``). A loop of N password
queries then sends N + 1 requests instead of 2N.

- Only a worker has a pool (:func:`worker_connections`): the strategy's parent process, where
  the plugins are loaded, never keeps a connection, and a connection is used only by the process
  that made it, never by a process forked from it.
- Settings are compared in full: every connection option as resolved (credentials, endpoints,
  region, project, verify/CA, timeout, retries), where each came from, the auth method and the
  task's whole environment (proxies, CA bundle). The key is an HMAC of them with a random key of
  this process, so no secret is a dict key, and nothing is written anywhere.
- At most :data:`MAX_CONNECTIONS` are kept; the least recently used one is closed beyond that.
  The rest live until the worker exits (with its loop), and with them the token: in memory only.
"""

from __future__ import annotations

import collections
import hashlib
import hmac
import json
import multiprocessing
import os

from ansible_collections.hwcloud.modelarts.plugins.module_utils._options import CONNECTION_ARGUMENT_SPEC

MAX_CONNECTIONS = 4


def settings_key(settings, secret):
    """A digest of everything that makes the connection (the same settings: the same key; any difference: another)."""
    source = settings.credential_source
    material = {
        "options": {name: getattr(settings, name) for name in CONNECTION_ARGUMENT_SPEC},
        "source": [getattr(source, "name", source), getattr(source, "path", None)],
        "origins": settings.origins,
        "auth_method": settings.auth_method,
        "urls": [settings.iam_url, settings.modelarts_url],
        "verify": settings.verify,
        "environ": None if settings.environ is None else dict(settings.environ),
    }
    text = json.dumps(material, sort_keys=True, default=repr)
    return hmac.new(secret, text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


class ConnectionPool:
    """Connections by settings, for the process that made them (see the module's notes)."""

    def __init__(self, limit=MAX_CONNECTIONS):
        self.limit = limit
        self._connections = collections.OrderedDict()
        self._pid = None
        self._secret = None

    def __len__(self):
        return len(self._connections)

    def connection(self, settings, factory):
        """The kept connection for ``settings``, else a new one ``factory(settings)`` that is kept from now on."""
        self._own_process()
        key = settings_key(settings, self._secret)
        connection = self._connections.get(key)
        if connection is not None:
            self._connections.move_to_end(key)
            return connection
        connection = self._connections[key] = factory(settings)
        while len(self._connections) > self.limit:
            self._connections.popitem(last=False)[1].close()
        return connection

    def _own_process(self):
        """Forget what another process kept (a fork inherits the pool, never its sessions or tokens)."""
        if self._pid != os.getpid():
            self._connections = collections.OrderedDict()
            self._pid = os.getpid()
            self._secret = os.urandom(32)


_POOL = ConnectionPool()


def worker_connections():
    """The pool of this worker process; None in a process that is not a worker (the strategy's own)."""
    return _POOL if multiprocessing.parent_process() is not None else None
