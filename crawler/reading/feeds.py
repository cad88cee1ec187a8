"""RSS 2.0, RSS 1.0 and Atom entries: link, title, date, summary."""
from __future__ import annotations

from lxml import etree
from scrapy.http import TextResponse

_DATE_FIELDS = ("pubDate", "published", "updated", "date", "issued")
_SUMMARY_FIELDS = ("description", "summary", "content")


def _link(item, fields) -> str | None:
    links = [c for c in item if isinstance(c.tag, str) and etree.QName(c).localname == "link"]
    for c in links:
        if c.get("href") and c.get("rel", "alternate") == "alternate":
            return c.get("href")
    if links:
        return (links[0].text or "").strip() or links[0].get("href")
    if "guid" in fields:
        return (fields["guid"].text or "").strip() or None
    return None


def _entry(response, item) -> dict | None:
    fields = {etree.QName(c).localname: c for c in item if isinstance(c.tag, str)}
    link = _link(item, fields)
    if not link:
        return None
    date = next((fields[k].text.strip() for k in _DATE_FIELDS if k in fields and fields[k].text), None)
    summary = next(("".join(fields[k].itertext()).strip() for k in _SUMMARY_FIELDS if k in fields), None)
    title = "".join(fields["title"].itertext()).strip() if "title" in fields else ""
    return {"url": response.urljoin(link), "title": title, "date": date, "summary": summary}


def feed_entries(response: TextResponse) -> list[dict]:
    try:
        root = etree.fromstring(response.body, parser=etree.XMLParser(recover=True, resolve_entities=False))
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    items = (el for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname in ("item", "entry"))
    return [e for e in (_entry(response, it) for it in items) if e]
