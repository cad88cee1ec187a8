"""Frozen pages: a saved response from crawler/mirror/<slug>/ as Scrapy would see it."""
from pathlib import Path

import yaml
from scrapy.http import HtmlResponse, Request, XmlResponse

MIRROR = Path(__file__).resolve().parents[3] / "crawler" / "mirror"


def meta(slug: str) -> dict:
    return yaml.safe_load((MIRROR / slug / "_meta.yaml").read_text(encoding="utf-8"))


def saved(slug: str, path: str, *, url_path: str | None = None, headers: dict | None = None, cls=None):
    """Response for a saved file, with the headers the mirror would send (charset from _meta.yaml)."""
    from crawler.mirror.server import Site
    m = meta(slug)
    body = (MIRROR / slug / path.lstrip("/")).read_bytes()
    url = f"{Site.load(MIRROR / slug).base}{url_path or ('/' + path.lstrip('/'))}"
    ctype = f"text/html; charset={m.get('encoding', 'utf-8')}"
    for r in m.get("routes") or []:
        if r.get("path") == (url_path or "/" + path.lstrip("/")) and (r.get("headers") or {}).get("Content-Type"):
            ctype = r["headers"]["Content-Type"]
    hdrs = {"Content-Type": ctype, **(headers or {})}
    cls = cls or (XmlResponse if path.endswith(".xml") else HtmlResponse)
    return cls(url=url, body=body, headers=hdrs, request=Request(url))
