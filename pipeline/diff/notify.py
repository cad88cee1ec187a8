"""The cycle's summary sent to a webhook the user configured (Slack-style incoming hooks,
a chat bot, a mail relay): one JSON POST, never a reason for the cycle to fail."""
from __future__ import annotations

import json
import urllib.error
import urllib.request


def post(url: str, payload: dict, *, timeout: float = 10.0) -> str | None:
    """POST the payload as JSON; returns None when it was accepted, else why not (one line)."""
    if not url.startswith(("http://", "https://")):
        return "not an http(s) URL"
    data = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:      # noqa: S310 (scheme checked above)
            return None if 200 <= resp.status < 300 else f"answered {resp.status}"
    except (urllib.error.URLError, OSError, ValueError) as err:
        return f"not sent: {getattr(err, 'reason', err)}"
