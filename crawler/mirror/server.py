"""The offline mirror: serves saved sites (crawler/mirror/<slug>/) on 127.0.0.1.

One HTTP server per site, each on its own free port (so each has its own
robots.txt), all in daemon threads of the calling process. Used by the tests, the
benchmarks and `parkwatch demo`. See README.md in this folder for the format.
"""
from __future__ import annotations

import email.utils
import hashlib
import json
import mimetypes
import re
import threading
import time
import urllib.parse
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

import yaml

MIRROR_ROOT = Path(str(resources.files("crawler") / "mirror"))
_TEXT_TYPES = ("text/", "application/xml", "application/json", "application/rss+xml", "application/atom+xml",
               "application/javascript")


def available(root: Path = MIRROR_ROOT) -> list[str]:
    return sorted(p.name for p in root.iterdir() if (p / "_meta.yaml").exists())


@dataclass
class Site:
    slug: str
    folder: Path
    meta: dict
    routes: list[tuple[re.Pattern, dict]]
    counters: dict = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> "Site":
        meta = yaml.safe_load((folder / "_meta.yaml").read_text(encoding="utf-8")) or {}
        routes = [(re.compile(r["path"]), r) for r in meta.get("routes") or []]
        return cls(meta.get("slug") or folder.name, folder, meta, routes)

    @property
    def encoding(self) -> str:
        return self.meta.get("encoding") or "utf-8"


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # a client that gave up (timeout tests, truncated bodies) is not an error of the mirror
        import sys
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class Mirror:
    """Started servers for a set of sites; `url(slug)` gives a site's base URL."""

    def __init__(self, folders: list[Path], host: str = "127.0.0.1", stable_ports: bool = False):
        self.host = host
        self.stable_ports = stable_ports
        self.sites = {s.slug: s for s in (Site.load(f) for f in folders)}
        self.servers: dict[str, ThreadingHTTPServer] = {}
        self.requests: list[dict] = []
        self._lock = threading.Lock()

    def start(self) -> "Mirror":
        for slug, site in self.sites.items():
            srv = self._bind(slug, site)
            self.servers[slug] = srv
            threading.Thread(target=srv.serve_forever, name=f"mirror-{slug}", daemon=True).start()
        return self

    def _bind(self, slug: str, site: Site) -> "_Server":
        # a stable port per slug keeps URLs (document identities) equal across demo runs
        if self.stable_ports:
            port = 20000 + zlib.crc32(slug.encode()) % 20000
            try:
                return _Server((self.host, port), _handler(self, site))
            except OSError:
                pass
        return _Server((self.host, 0), _handler(self, site))

    def stop(self) -> None:
        for srv in self.servers.values():
            srv.shutdown()
            srv.server_close()

    def __enter__(self) -> "Mirror":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def url(self, slug: str) -> str:
        return f"http://{self.host}:{self.servers[slug].server_address[1]}"

    def placeholders(self) -> dict[str, str]:
        return {f"{{site:{slug}}}": self.url(slug) for slug in self.servers}

    def substitute(self, data: bytes) -> bytes:
        if b"{site:" not in data:
            return data
        for k, v in self.placeholders().items():
            data = data.replace(k.encode(), v.encode())
        return data

    def log(self, entry: dict) -> None:
        with self._lock:
            self.requests.append(entry)

    def count(self, slug: str | None = None) -> int:
        return sum(1 for r in self.requests if slug is None or r["site"] == slug)


def serve(slugs: list[str] | None = None, root: Path = MIRROR_ROOT, *, stable_ports: bool = False) -> Mirror:
    """Start the mirror for some (default: all) saved sites under `root`."""
    names = slugs or available(root)
    missing = [s for s in names if not (root / s / "_meta.yaml").exists()]
    if missing:
        raise FileNotFoundError(f"no saved site for: {', '.join(missing)} (in {root})")
    return Mirror([root / s for s in names], stable_ports=stable_ports).start()


def _http_date(day) -> str:
    t = time.mktime(time.strptime(str(day)[:10], "%Y-%m-%d"))
    return email.utils.formatdate(t, usegmt=True)


def _handler(mirror: Mirror, site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "parkwatch-mirror/1"

        def log_message(self, *args):  # quiet: the mirror keeps its own request log
            pass

        def do_HEAD(self):
            self._serve(head=True)

        def do_GET(self):
            self._serve()

        def do_POST(self):
            self._serve()

        # -- helpers ------------------------------------------------------------------------
        def _send(self, status: int, body: bytes = b"", headers: dict | None = None, *, head=False,
                  truncate: int | None = None):
            self.send_response(status)
            headers = dict(headers or {})
            headers.setdefault("Content-Type", "text/html; charset=utf-8")
            for k, v in headers.items():
                self.send_header(k, mirror.substitute(str(v).encode()).decode())
            self.send_header("Content-Length", str(len(body)))
            if truncate is not None:
                self.send_header("Connection", "close")
            self.end_headers()
            if head or status == 304:
                return
            if truncate is not None:
                self.wfile.write(body[:truncate])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

        def _params(self) -> dict:
            url = urllib.parse.urlsplit(self.path)
            params = dict(urllib.parse.parse_qsl(url.query))
            if self.command == "POST":
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n) if n else b""
                params.update(urllib.parse.parse_qsl(raw.decode("utf-8", "replace")))
            return params

        def _serve(self, head=False):
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            params = self._params()
            mirror.log({"site": site.slug, "method": self.command, "path": path,
                        "conditional": bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))})
            route = next((r for pat, r in site.routes if pat.fullmatch(path)), {})
            if route.get("delay"):
                time.sleep(float(route["delay"]))
            if route.get("fail_first"):
                n = site.counters.get(path, 0)
                site.counters[path] = n + 1
                if n < int(route["fail_first"]):
                    return self._send(503, b"<h1>503 Service Unavailable</h1>", head=head)
            if route.get("redirect"):
                return self._send(int(route.get("status", 302)), b"", {"Location": route["redirect"]}, head=head)
            if path == "/robots.txt" and "robots" in site.meta and not route:
                return self._send(200, mirror.substitute(site.meta["robots"].encode()), {"Content-Type": "text/plain"},
                                  head=head)
            handler = route.get("handler")
            if handler == "hanweb-dataproxy":
                return self._send(200, _dataproxy(site, route, params), {"Content-Type": "text/xml;charset=UTF-8"},
                                  head=head)
            if handler == "json-search":
                return self._send(200, mirror.substitute(_json_search(site, route, params)),
                                  {"Content-Type": "application/json;charset=UTF-8"}, head=head)
            file = site.folder / (route.get("file") or path.lstrip("/"))
            if path.endswith("/") and not route.get("file"):
                file = file / "index.html"
            inside = file.resolve().is_relative_to(site.folder.resolve())
            private = any(part.startswith("_") for part in Path(path).parts) and not route.get("file")
            status = int(route.get("status", 200))
            if not inside or private or not file.is_file():
                if status != 200:
                    return self._send(status, f"<h1>{status}</h1>".encode(), route.get("headers"), head=head)
                return self._send(404, b"<h1>404 Not Found</h1>", head=head)
            body = mirror.substitute(file.read_bytes())
            ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if ctype.startswith(_TEXT_TYPES) or file.suffix in (".htm", ".html", ".shtml", ".xml"):
                ctype = f"{ctype}; charset={site.encoding}"
            headers = {"Content-Type": ctype}
            if site.meta.get("conditional", True) and status == 200:
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                lm = _http_date(route.get("last_modified") or site.meta.get("fetched") or "2020-01-01")
                headers.update({"ETag": etag, "Last-Modified": lm})
                if self.headers.get("If-None-Match") == etag or (
                        not self.headers.get("If-None-Match") and self.headers.get("If-Modified-Since") == lm):
                    return self._send(304, b"", headers, head=head)
            headers.update(route.get("headers") or {})
            return self._send(status, body, headers, head=head, truncate=route.get("truncate"))

    return Handler


def _records(site: Site, route: dict) -> list[str]:
    path = site.folder / route["records"]
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def _dataproxy(site: Site, route: dict, params: dict) -> bytes:
    """Hanweb JCMS data proxy: records startrecord..endrecord (1-based, inclusive) as XML."""
    recs = _records(site, route)
    per = int(params.get("perpage") or 15)
    start = max(1, int(params.get("startrecord") or 1))
    end = int(params.get("endrecord") or (start + per - 1))
    page = recs[start - 1:end]
    body = "".join(f"<record><![CDATA[{r}]]></record>" for r in page)
    xml = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{len(recs)}</totalrecord>'
           f"<totalpage>{-(-len(recs) // per)}</totalpage><recordset>{body}</recordset></datastore>")
    return xml.encode("utf-8")


def _json_search(site: Site, route: dict, params: dict) -> bytes:
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
    cat_map = {}
    for cat, its in cats.items():
        cat_map[cat] = {"listVO": its[(p - 1) * n:p * n], "totalCount": len(its)}
    return json.dumps({"code": 200, "msg": "success", "searchVO": {"totalCount": 0, "catMap": cat_map}},
                      ensure_ascii=False).encode("utf-8")
