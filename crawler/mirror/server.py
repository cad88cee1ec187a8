"""The offline mirror: saved sites (crawler/mirror/<slug>/) served by one HTTP proxy on 127.0.0.1.

Each saved site keeps its own host name (the `url` of its _meta.yaml, served over plain
HTTP): a crawl sends its requests through the mirror as an HTTP proxy (`http_proxy`), so
document URLs — their identities in the store — are the sites' own, never a local port.
Two mirrors at once, or one on another port next time, give the same URLs. Used by the
tests, the benchmarks and `parkwatch demo`. See README.md in this folder for the format.
"""
from __future__ import annotations

import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from importlib import resources
from pathlib import Path

import yaml

from .responder import handler_class

MIRROR_ROOT = Path(str(resources.files("crawler") / "mirror"))


def available(root: Path = MIRROR_ROOT) -> list[str]:
    return sorted(p.name for p in root.iterdir() if (p / "_meta.yaml").exists())


@dataclass
class Site:
    slug: str
    folder: Path
    meta: dict
    routes: list
    counters: dict = field(default_factory=dict)
    state: int = 1                 # 2: the site as it is a week later (files under _next/)

    @classmethod
    def load(cls, folder: Path) -> "Site":
        import re
        meta = yaml.safe_load((folder / "_meta.yaml").read_text(encoding="utf-8")) or {}
        routes = [(re.compile(r["path"]), r) for r in meta.get("routes") or []]
        return cls(meta.get("slug") or folder.name, folder, meta, routes)

    @property
    def encoding(self) -> str:
        return self.meta.get("encoding") or "utf-8"

    @property
    def host(self) -> str:
        """host[:port] the site answers for (from `url`; a site without one is <slug>.mirror.example)."""
        url = self.meta.get("url")
        return urllib.parse.urlsplit(url).netloc.lower() if url else f"{self.slug}.mirror.example"

    @property
    def base(self) -> str:
        return f"http://{self.host}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # a client that gave up (timeout tests, truncated bodies) is not an error of the mirror
        import sys
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class Mirror:
    """The started proxy for a set of sites; `url(slug)` gives a site's base URL, `proxy` the
    address to send requests through, `env()` the environment that makes a crawl do so."""

    def __init__(self, folders: list[Path], host: str = "127.0.0.1", port: int = 0, state: int = 1):
        self.sites = {s.slug: s for s in (Site.load(f) for f in folders)}
        for site in self.sites.values():
            site.state = state
        self.by_host = {s.host: s for s in self.sites.values()}
        if len(self.by_host) != len(self.sites):
            raise ValueError("two saved sites answer for the same host")
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._server = _Server((host, port), handler_class(self))

    def start(self) -> "Mirror":
        threading.Thread(target=self._server.serve_forever, name="mirror", daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "Mirror":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def proxy(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def env(self) -> dict[str, str]:
        """Environment for a crawl through the mirror (Scrapy's HttpProxyMiddleware reads it);
        servers on 127.0.0.1 itself are reached directly."""
        direct = "127.0.0.1,localhost"
        return {"http_proxy": self.proxy, "HTTP_PROXY": self.proxy, "no_proxy": direct, "NO_PROXY": direct}

    def url(self, slug: str) -> str:
        return self.sites[slug].base

    def site_for(self, host: str) -> Site | None:
        return self.by_host.get(host.lower())

    def log(self, entry: dict) -> None:
        with self._lock:
            self.requests.append(entry)

    def count(self, slug: str | None = None) -> int:
        return sum(1 for r in self.requests if slug is None or r["site"] == slug)


def serve(slugs: list[str] | None = None, root: Path = MIRROR_ROOT, *, port: int = 0, state: int = 1) -> Mirror:
    """Start the mirror for some (default: all) saved sites under `root`; state 2 serves them as
    they are a week later (see the mirror README)."""
    names = slugs or available(root)
    missing = [s for s in names if not (root / s / "_meta.yaml").exists()]
    if missing:
        raise FileNotFoundError(f"no saved site for: {', '.join(missing)} (in {root})")
    return Mirror([root / s for s in names], port=port, state=state).start()
