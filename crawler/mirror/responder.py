"""How the mirror answers one request: find the site by host, apply the route's faults,
then a handler (Hanweb data proxy, JSON search) or the saved file with its validators."""
from __future__ import annotations

import email.utils
import hashlib
import json
import mimetypes
import socket
import struct
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler
from pathlib import Path

_TEXT_TYPES = ("text/", "application/xml", "application/json", "application/rss+xml", "application/atom+xml",
               "application/javascript")


def _http_date(day) -> str:
    t = time.mktime(time.strptime(str(day)[:10], "%Y-%m-%d"))
    return email.utils.formatdate(t, usegmt=True)


class Reply:
    """What to send: status, body, headers, and how (truncated after N bytes; reset = then a TCP RST)."""

    def __init__(self, status: int, body: bytes = b"", headers: dict | None = None, truncate: int | None = None,
                 reset: bool = False):
        self.status, self.body, self.headers, self.truncate = status, body, dict(headers or {}), truncate
        self.reset = reset


def handler_class(mirror):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "parkwatch-mirror/2"

        def log_message(self, *args):  # quiet: the mirror keeps its own request log
            pass

        def do_HEAD(self):
            self._answer(head=True)

        def do_GET(self):
            self._answer()

        def do_POST(self):
            self._answer()

        def _answer(self, head=False):
            url = urllib.parse.urlsplit(self.path)
            host = url.netloc or self.headers.get("Host", "")
            site = mirror.site_for(host)
            path = urllib.parse.unquote(url.path or "/")
            params = self._params(url)
            if site is None:
                return self._send(Reply(502, f"<h1>502 no saved site for {host}</h1>".encode()), head)
            entry = {"site": site.slug, "method": self.command, "path": path, "at": time.time(),
                     "conditional": bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))}
            mirror.log(entry)
            reply = respond(site, path, params, self.headers)
            self._send(reply, head)
            entry["done"] = time.time()

        def _params(self, url) -> dict:
            params = dict(urllib.parse.parse_qsl(url.query))
            if self.command == "POST":
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n) if n else b""
                params.update(urllib.parse.parse_qsl(raw.decode("utf-8", "replace")))
            return params

        def _send(self, r: Reply, head: bool):
            self.send_response(r.status)
            r.headers.setdefault("Content-Type", "text/html; charset=utf-8")
            for k, v in r.headers.items():
                self.send_header(k, str(v))
            self.send_header("Content-Length", str(len(r.body)))
            if r.truncate is not None:
                self.send_header("Connection", "close")
            self.end_headers()
            if head or r.status == 304:
                return
            if r.truncate is not None:
                self.wfile.write(r.body[:r.truncate])
                self.wfile.flush()
                self.close_connection = True
                if r.reset:   # abort: the client sees "connection reset", not a clean end
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            self.wfile.write(r.body)

    return Handler


def respond(site, path: str, params: dict, headers) -> Reply:
    route = next((r for pat, r in site.routes if pat.fullmatch(path)), {})
    fault = _fault(site, route, path)
    if fault is not None:
        return fault
    if path == "/robots.txt" and "robots" in site.meta and not route:
        return Reply(200, site.meta["robots"].encode(), {"Content-Type": "text/plain"})
    handler = HANDLERS.get(route.get("handler"))
    if handler is not None:
        return handler(site, route, params)
    return _file(site, route, path, headers)


def _fault(site, route: dict, path: str) -> Reply | None:
    """The route's deliberate misbehaviour: a delay, first failures (503, or `fail_status` with
    `fail_headers`; `retry_after_in: N` adds a Retry-After HTTP date N seconds ahead), a redirect."""
    if route.get("delay"):
        time.sleep(float(route["delay"]))
    if route.get("fail_first"):
        n = site.counters.get(path, 0)
        site.counters[path] = n + 1
        if n < int(route["fail_first"]):
            headers = dict(route.get("fail_headers") or {})
            if route.get("retry_after_in") is not None:
                headers["Retry-After"] = email.utils.formatdate(time.time() + float(route["retry_after_in"]),
                                                                usegmt=True)
            status = int(route.get("fail_status", 503))
            return Reply(status, f"<h1>{status}</h1>".encode(), headers)
    if route.get("redirect"):
        return Reply(int(route.get("status", 302)), b"", {"Location": route["redirect"]})
    return None


def _generated(route: dict) -> bytes | None:
    """Bodies too big to save as files: `generate: {kind: oversize, bytes: N}` or `{kind: nested, depth: N}`."""
    g = route.get("generate")
    if not g:
        return None
    if g["kind"] == "oversize":
        para = "<p>区块链产业园区建设情况通报，正文段落重复以形成超大页面。</p>\n".encode()
        n = int(g["bytes"])
        return "<html><head><title>超大页面</title></head><body>".encode() + para * (n // len(para) + 1) + \
            b"</body></html>"
    if g["kind"] == "nested":
        depth = int(g["depth"])
        title = g.get("title", "深层嵌套的区块链产业园通知")
        return (f"<html><head><title>{title}</title></head><body>" + "<div>" * depth +
                f"<p>{g.get('text', title)}</p>" + "</div>" * depth + "</body></html>").encode()
    raise ValueError(f"unknown generated body {g['kind']!r}")


def _file(site, route: dict, path: str, headers) -> Reply:
    generated = _generated(route)
    if generated is not None:
        return Reply(int(route.get("status", 200)), generated,
                     {"Content-Type": "text/html; charset=utf-8", **(route.get("headers") or {})})
    file = site.folder / (route.get("file") or path.lstrip("/"))
    if path.endswith("/") and not route.get("file"):
        file = file / "index.html"
    if site.state >= 2:                    # the site a week later: _next/ replaces, `next.removed` is gone
        if path in (site.meta.get("next") or {}).get("removed", []):
            return Reply(404, b"<h1>404 Not Found</h1>")
        later = site.folder / "_next" / file.relative_to(site.folder)
        if later.is_file():
            file = later
    inside = file.resolve().is_relative_to(site.folder.resolve())
    private = any(part.startswith("_") for part in Path(path).parts) and not route.get("file")
    status = int(route.get("status", 200))
    if not inside or private or not file.is_file():
        if status != 200:
            return Reply(status, f"<h1>{status}</h1>".encode(), route.get("headers"))
        return Reply(404, b"<h1>404 Not Found</h1>")
    body = file.read_bytes()
    ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if ctype.startswith(_TEXT_TYPES) or file.suffix in (".htm", ".html", ".shtml", ".xml"):
        ctype = f"{ctype}; charset={site.encoding}"
    out = {"Content-Type": ctype}
    if site.meta.get("conditional", True) and status == 200:
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        lm = _http_date(route.get("last_modified") or site.meta.get("fetched") or "2020-01-01")
        out.update({"ETag": etag, "Last-Modified": lm})
        if headers.get("If-None-Match") == etag or (
                not headers.get("If-None-Match") and headers.get("If-Modified-Since") == lm):
            return Reply(304, b"", out)
    out.update(route.get("headers") or {})
    if route.get("reset") is not None:
        return Reply(status, body, out, truncate=int(route["reset"]), reset=True)
    return Reply(status, body, out, truncate=route.get("truncate"))


def _records(site, route: dict) -> list[str]:
    path = site.folder / route["records"]
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def _dataproxy(site, route: dict, params: dict) -> Reply:
    """Hanweb JCMS data proxy: records startrecord..endrecord (1-based, inclusive) as XML."""
    recs = _records(site, route)
    per = int(params.get("perpage") or 15)
    start = max(1, int(params.get("startrecord") or 1))
    end = int(params.get("endrecord") or (start + per - 1))
    body = "".join(f"<record><![CDATA[{r}]]></record>" for r in recs[start - 1:end])
    xml = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{len(recs)}</totalrecord>'
           f"<totalpage>{-(-len(recs) // per)}</totalpage><recordset>{body}</recordset></datastore>")
    return Reply(200, xml.encode("utf-8"), {"Content-Type": "text/xml;charset=UTF-8"})


def _json_search(site, route: dict, params: dict) -> Reply:
    """A gov.cn-style search API: items split by category, paged by p (1-based) and n."""
    data = json.loads((site.folder / route["records"]).read_text(encoding="utf-8"))
    items = data["items"]
    q = params.get("q") or ""
    if q:
        items = [i for i in items if q in (i.get("title", "") + i.get("summary", ""))]
    p, n = max(1, int(params.get("p") or 1)), max(1, int(params.get("n") or 10))
    cats: dict[str, list] = {}
    for it in items:
        cats.setdefault(it.get("cat") or "gongwen", []).append(it)
    cat_map = {cat: {"listVO": its[(p - 1) * n:p * n], "totalCount": len(its)} for cat, its in cats.items()}
    body = json.dumps({"code": 200, "msg": "success", "searchVO": {"totalCount": 0, "catMap": cat_map}},
                      ensure_ascii=False).encode("utf-8")
    return Reply(200, body, {"Content-Type": "application/json;charset=UTF-8"})


HANDLERS = {"hanweb-dataproxy": _dataproxy, "json-search": _json_search}
