"""JSON search APIs (the central government's policy library and similar)."""
from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .base import SourceSpider


def _path(data, path: str):
    """Values at a dotted path; '*' walks every value of a mapping or list."""
    nodes = [data]
    for part in path.split("."):
        nxt = []
        for n in nodes:
            if part == "*":
                nxt.extend(n.values() if isinstance(n, dict) else n if isinstance(n, list) else [])
            elif isinstance(n, dict) and part in n:
                nxt.append(n[part])
        nodes = nxt
    out = []
    for n in nodes:
        out.extend(n if isinstance(n, list) else [n])
    return out


class JsonApiSpider(SourceSpider):
    kind_name = "json-api"

    def _page_url(self, base: str, page: int) -> str:
        api = self.source.api
        parts = urlsplit(base)
        q = dict(parse_qsl(parts.query))
        q.update({k: str(v) for k, v in (api.get("params") or {}).items()})
        q[api.get("page_param", "p")] = str(int(api.get("start_page", 1)) + page - 1)
        if api.get("size_param"):
            q[api["size_param"]] = str(api.get("page_size", 10))
        return urlunsplit(parts._replace(query=urlencode(q)))

    def first_requests(self):
        for url in self.source.start_urls:
            yield self.list_request(self._page_url(url, 1), page=1, meta={"base": url})

    @property
    def max_pages(self) -> int:
        return int(self.source.api.get("max_pages") or super().max_pages)

    def parse_list(self, response):
        self.store.count("list_pages")
        api = self.source.api
        try:
            data = json.loads(response.text)
        except ValueError:
            self.logger.warning("not JSON: %s", response.url)
            self.store.count("failed")
            return
        seen, links = set(), []
        for it in _path(data, api["items"]):
            if not isinstance(it, dict):
                continue
            url = it.get(api.get("url", "url"))
            key = it.get(api.get("id", "id")) or url
            if not url or key in seen:
                continue
            seen.add(key)
            links.append({"url": response.urljoin(str(url)), "title": str(it.get(api.get("title", "title")) or ""),
                          "date": str(it.get(api.get("date", "date")) or "") or None, "date_from": "api"})
        reqs, all_known = self.follow_links(links, via=response.url)
        yield from reqs
        page = response.meta["page"]
        if links and self.should_continue(page, all_known):
            yield self.list_request(self._page_url(response.meta["base"], page + 1), page=page + 1,
                                    meta={"base": response.meta["base"]})
