# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Admin API under ``/__emulator__/``: health, reset, request log, faults, clock, token expiry, page cap.

Admin calls need no authentication, are never faulted and never enter the request log.
"""

import json

from responses import json_response

PREFIX = "/__emulator__/"


def _body(request):
    if not request.body.strip():
        return {}
    payload = json.loads(request.body.decode("utf-8"))
    if not isinstance(payload, dict):
        raise ValueError("the body must be a JSON object")
    return payload


def _health(state, payload):
    return {"ok": True}


def _reset(state, payload):
    state.reset(forget_tokens=bool(payload.get("tokens")))
    return {"ok": True}


def _requests(state, payload):
    entries = state.requests.entries()
    return {"count": len(entries), "requests": entries}


def _list_faults(state, payload):
    return {"faults": state.faults.describe()}


def _add_faults(state, payload):
    return {"ok": True, "count": state.faults.add(payload.get("faults"))}


def _clear_faults(state, payload):
    state.faults.clear()
    return {"ok": True}


def _clock(state, payload):
    offset = payload.get("offset_seconds")
    if isinstance(offset, bool) or not isinstance(offset, (int, float)):
        raise ValueError("offset_seconds must be a number")
    state.clock.offset_seconds = float(offset)
    return {"ok": True, "offset_seconds": offset}


def _page_cap(state, payload):
    cap = payload.get("max_per_page")
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
        raise ValueError("max_per_page must be a positive integer or null")
    state.page_cap = cap
    return {"ok": True, "max_per_page": cap}


def _expire_tokens(state, payload):
    return {"ok": True, "expired": state.tokens.expire_all()}


ROUTES = {
    ("GET", "health"): _health,
    ("POST", "reset"): _reset,
    ("GET", "requests"): _requests,
    ("GET", "faults"): _list_faults,
    ("POST", "faults"): _add_faults,
    ("DELETE", "faults"): _clear_faults,
    ("POST", "clock"): _clock,
    ("POST", "expire-tokens"): _expire_tokens,
    ("POST", "page-cap"): _page_cap,
}


def is_admin_path(path):
    """Return True for paths of the admin API."""
    return path.startswith(PREFIX)


def handle(state, request):
    """Answer one admin request."""
    action = ROUTES.get((request.method, request.path[len(PREFIX):].strip("/")))
    if action is None:
        return json_response(404, {"ok": False, "error": "unknown admin call %s %s" % (request.method, request.path)})
    try:
        return json_response(200, action(state, _body(request)))
    except ValueError as exc:
        return json_response(400, {"ok": False, "error": str(exc)})
