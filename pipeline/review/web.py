"""The review page: the queue of pipeline.review.items as cards, one key per decision of
pipeline.review.decisions, the recent decisions with a durable undo, an edit form. `parkwatch serve`
runs it. Crawled text reaches the page only through autoescaped templates (never |safe), and the
Content-Security-Policy runs no script but our own file, so a page's <script> stays text."""
from __future__ import annotations

import getpass
import hmac
import ipaddress
import json
import re
import secrets
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Flask, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect

from db import review as store
from db.store import open_db

from . import decisions
from .items import COMPARED, ReviewError, card, queue

PAGE_SIZE = 50              # cards per page: the queue can hold thousands
SESSION_UNDO = 50           # decision ids this browser session can undo with `u`
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")
ITEM_ID = re.compile(r"[cf]\d+")
LABELS = {"name": "name", "province": "province", "city": "city", "founded": "founded", "area_m2": "area",
          "enterprises": "enterprises", "fund_yuan": "fund"}

bp = Blueprint("review", __name__)


# -- binding and access -------------------------------------------------------------------------
def is_loopback(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_binding(host: str, token: str | None) -> None:
    """Anything but a loopback address is reachable from other machines: refuse it without a token."""
    if not token and not is_loopback(host):
        raise ReviewError(f"--host {host} is reachable from other machines: give --token TOKEN (or $PARKWATCH_TOKEN), "
                          "e.g. --token \"$(python -c 'import secrets; print(secrets.token_urlsafe())')\"")


def _hostname(host: str) -> str:
    """The Host header without its port: 127.0.0.1:8765 → 127.0.0.1, [::1]:8765 → [::1]."""
    if host.startswith("["):
        return host[:host.find("]") + 1]
    return host.rpartition(":")[0] if ":" in host else host


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def _guard():
    """The token, once as ?token= (then the session cookie) or as a Bearer header; without a token
    only loopback Host names are answered, so a DNS-rebinding page cannot read the queue."""
    token = current_app.config["PARKWATCH_TOKEN"]
    if not token:
        if not is_loopback(_hostname(request.host)):
            abort(400, "without a token this page answers to 127.0.0.1 and localhost only")
        return None
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer " and _same(auth[7:].strip(), token):
        return None
    if "token" in request.args:
        if not _same(request.args["token"], token):
            abort(403)
        session["authorized"] = True
        rest = {k: v for k, v in request.args.items(multi=True) if k != "token"}
        # the token leaves the address bar (and the history) at once
        return redirect(request.path + ("?" + urlencode(rest) if rest else "")) if request.method == "GET" else None
    if not session.get("authorized"):
        abort(403)
    return None


def _headers(resp):
    if request.endpoint != "static":
        resp.headers["Cache-Control"] = "no-store"    # Back never shows a card decided meanwhile
    resp.headers["Content-Security-Policy"] = CSP
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp


# -- the app --------------------------------------------------------------------------------------
def create_app(db_path, *, token: str | None = None, reviewer: str | None = None) -> Flask:
    """The review page on the store at `db_path` (which must exist). `token`: required of every
    request when given; `reviewer`: the name recorded with each decision (else the one the user
    enters, else the login name)."""
    open_db(db_path, create=False).close()           # a missing store is refused now, not per request
    app = Flask(__name__)
    # cookies ignore ports: a name of its own, so another app on localhost does not overwrite the session
    app.config.update(SECRET_KEY=secrets.token_hex(32), SESSION_COOKIE_NAME="parkwatch_review",
                      SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_HTTPONLY=True,
                      WTF_CSRF_TIME_LIMIT=None,       # valid as long as the session: a card may stay open for hours
                      PARKWATCH_DB=str(db_path), PARKWATCH_TOKEN=token or None, PARKWATCH_REVIEWER=reviewer or None)
    app.before_request(_guard)                       # before CSRF: no token is a 403 whatever the form says
    CSRFProtect(app)
    app.after_request(_headers)
    app.teardown_appcontext(_close_db)
    app.register_error_handler(CSRFError, lambda e: (render_template(
        "error.html", status=400, message="the form's security token is missing or expired: reload the page"), 400))
    app.register_error_handler(ReviewError, lambda e: (render_template("error.html", status=404, message=str(e)), 404))
    app.register_blueprint(bp)
    return app


def _db():
    if "db" not in g:
        g.db = open_db(current_app.config["PARKWATCH_DB"], create=False)
    return g.db


def _close_db(_exc=None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):                       # no login name in a bare container
        return "reviewer"


def reviewer() -> str:
    return current_app.config["PARKWATCH_REVIEWER"] or session.get("reviewer") or _login()


@bp.app_context_processor
def _globals():
    return {"reviewer": reviewer(), "reviewer_fixed": bool(current_app.config["PARKWATCH_REVIEWER"]),
            "session_undo": len(session.get("decisions", []))}


# -- what a card shows ------------------------------------------------------------------------------
def link(url: str | None) -> str | None:
    """The URL when it may be a link: http(s) with a host; a javascript:, data: or odd URL stays text."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def segments(text: str | None, spans) -> list[tuple[str, bool]]:
    """The snippet cut at the highlight offsets as (piece, highlighted) pairs; the template escapes
    each piece, so no HTML is ever built from crawled text."""
    text, out, at = text or "", [], 0
    for start, end in sorted(spans or []):
        start, end = max(int(start), at), min(int(end), len(text))
        if start >= end:
            continue
        if start > at:
            out.append((text[at:start], False))
        out.append((text[start:end], True))
        at = end
    if at < len(text):
        out.append((text[at:], False))
    return out


def _evidence(c: dict) -> list[dict]:
    return [{**e, "link": link(e.get("url")), "segments": segments(e.get("snippet"), e.get("highlights"))}
            for e in c["evidence"]]


def _side_by_side(c: dict) -> list[dict]:
    """One row per compared field: the candidate's value, then each nearest park's, marked where it differs."""
    return [{"field": LABELS[k], "mine": c["fields"].get(k),
             "parks": [{"value": p.get(k), "differs": k in p["differs"]} for p in c["nearest"]]} for k in COMPARED]


def _view(item_id: str) -> dict:
    c = card(_db(), item_id)
    view = {**c, "evidence": _evidence(c)}
    if c["kind"] == "candidate":
        view["comparison"] = _side_by_side(c)
        view["feature_rows"] = sorted((k, round(v, 3) if isinstance(v, float) else v) for k, v in c["features"].items())
    return view


# -- the queue ------------------------------------------------------------------------------------
def _page(items: list[dict], item_id: str | None, page: int) -> tuple[int, str | None]:
    """The page to show and its current item: the one asked for, else the page's first."""
    ids = [i["id"] for i in items]
    if item_id in ids:
        return ids.index(item_id) // PAGE_SIZE, item_id
    page = min(max(page, 0), max((len(ids) - 1) // PAGE_SIZE, 0))
    return page, ids[page * PAGE_SIZE] if ids else None


def _neighbour(ids: list[str], current: str | None) -> str | None:
    """The card to go to when `current` leaves the queue: the next one, else the one before."""
    if current not in ids:
        return None
    i = ids.index(current)
    return ids[i + 1] if i + 1 < len(ids) else (ids[i - 1] if i else None)


@bp.get("/")
def queue_page():
    items = queue(_db(), evidence=False)                 # the list shows no sentences; the card has its own
    page, current = _page(items, request.args.get("item"), request.args.get("page", 0, type=int))
    ids = [i["id"] for i in items]
    shown = items[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    return render_template("queue.html", items=shown, total=len(items), page=page, page_size=PAGE_SIZE,
                           pages=max((len(items) - 1) // PAGE_SIZE + 1, 1), current=current,
                           card=_view(current) if current else None, next_id=_neighbour(ids, current))


@bp.get("/favicon.ico")
def favicon():
    return "", 204                                   # none: and no 404 in every page's console


# -- decisions --------------------------------------------------------------------------------------
def _remember(result: dict) -> None:
    session["decisions"] = [*session.get("decisions", []), result["decision"]][-SESSION_UNDO:]


def _said(result: dict, item_id: str) -> str:
    name = f" ({result['name']})" if result.get("name") else ""
    park = f" → {result['park_id']}" if result.get("park_id") else ""
    return f"decision {result['decision']}: {result['action']} {item_id}{park}{name}"


def _to(item_id: str | None):
    return redirect(url_for("review.queue_page", item=item_id) if item_id else url_for("review.queue_page"))


def _next_from_form(fallback: str) -> str:
    nxt = request.form.get("next", "")
    return nxt if ITEM_ID.fullmatch(nxt) else fallback


def _decide(item_id: str, action: str) -> dict:
    db, who = _db(), reviewer()
    reason = request.form.get("reason", "").strip() or None
    if action == "accept":
        return decisions.accept(db, item_id, reviewer=who, reason=reason)
    if action == "reject":
        return decisions.reject(db, item_id, reviewer=who, reason=reason)
    into = request.form.get("into", "").strip() or request.form.get("into_pick", "").strip()
    if not into:
        raise ReviewError("choose a nearest park (1–3) or type a park id (p020) to merge into")
    return decisions.merge(db, item_id, into, reviewer=who, reason=reason)


@bp.post("/items/<item_id>/<any(accept, merge, reject):action>")
def decide(item_id: str, action: str):
    try:
        result = _decide(item_id, action)
    except ReviewError as e:
        flash(f"{item_id}: {e}", "error")
        return _to(item_id)
    _remember(result)
    flash(_said(result, item_id), "done")
    return _to(_next_from_form(item_id))


def _undo(decision_id: int) -> str:
    """Undo a decision; the card it was about (to show again)."""
    result = decisions.undo(_db(), decision_id, reviewer=reviewer())
    item_id = f"{result['kind'][0]}{result['target']}"
    flash(f"decision {result['decision']}: undid decision {result['undid']} ({result['action']} of {item_id})", "done")
    return item_id


@bp.post("/undo")
def undo_last():
    """`u`: the last decision of this browser session that is still in force (one undone on the
    decisions page meanwhile is passed over)."""
    mine = list(session.get("decisions", []))
    while mine:
        d = store.decision(_db(), mine.pop())
        if d and d["action"] != "undo" and not d["undone_at"]:
            try:
                item_id = _undo(d["id"])
            except ReviewError as e:          # a later decision built on it: it stays in the list
                flash(str(e), "error")
                return _to(None)
            session["decisions"] = mine
            return _to(item_id)
    session["decisions"] = []
    flash("nothing of this session to undo (the decisions page undoes older decisions)", "error")
    return _to(None)


@bp.get("/decisions")
def decisions_page():
    rows = store.decisions(_db(), limit=min(max(request.args.get("limit", 100, type=int), 1), 1000))
    for r in rows:
        after = json.loads(r["after"]) if r.get("after") else {}
        r["name"] = after.get("name") if isinstance(after, dict) else None
        r["item"] = f"{r['kind'][0]}{r['target_id']}"
        r["undoable"] = r["action"] != "undo" and not r["undone_at"]
    return render_template("decisions.html", rows=rows)


@bp.post("/decisions/<int:decision_id>/undo")
def undo_decision(decision_id: int):
    try:
        _undo(decision_id)
    except ReviewError as e:
        flash(str(e), "error")
    return redirect(url_for("review.decisions_page"))


# -- edit and who reviews -------------------------------------------------------------------------
EDIT_FIELDS = ("name", "province", "city")


@bp.route("/items/<item_id>/edit", methods=["GET", "POST"])
def edit(item_id: str):
    c = card(_db(), item_id)
    if c["kind"] != "candidate":
        raise ReviewError(f"{item_id} is a value of a known park: accept or reject it")
    if request.method == "GET":
        return render_template("edit.html", card=c)
    given = {k: request.form.get(k, "").strip() for k in EDIT_FIELDS}
    if not given["name"]:
        flash("a park needs a name", "error")
        return render_template("edit.html", card={**c, **given}), 400
    changed = {k: v or None for k, v in given.items() if (v or None) != c.get(k)}
    try:
        result = decisions.edit(_db(), item_id, reviewer=reviewer(), fields=changed,
                                reason=request.form.get("reason", "").strip() or None)
    except ReviewError as e:
        flash(f"{item_id}: {e}", "error")
        return _to(item_id)
    _remember(result)
    flash(_said(result, item_id), "done")
    return _to(item_id)


@bp.post("/reviewer")
def set_reviewer():
    name = request.form.get("name", "").strip()[:80]
    if name:
        session["reviewer"] = name
    else:
        session.pop("reviewer", None)
    return redirect(request.form.get("back") if _local_path(request.form.get("back")) else url_for("review.queue_page"))


def _local_path(url: str | None) -> bool:
    """Only a path of this site is a place to go back to (never //host or a scheme)."""
    return bool(url) and url.startswith("/") and not url.startswith("//") and "\\" not in url
