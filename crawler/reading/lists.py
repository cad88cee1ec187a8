"""Article links of list pages: found generically, or by a source's `item`/`link` selectors."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.http import TextResponse

from .cms import DATE_NEAR, article_url, attachment_re, in_nav, next_text
from .selectors import select


def _item_text(a) -> str:
    """Text of the list item around a link (li, tr, dd, or a small block around it);
    never a whole list or page, whose dates belong to other links."""
    node = a
    for anc in a.iterancestors():
        if not isinstance(anc.tag, str) or anc.tag in ("ul", "ol", "table", "tbody", "body", "html"):
            break
        if len("".join(anc.itertext())) > 400:
            break
        node = anc
        if anc.tag in ("li", "tr", "dd", "article") or "item" in (anc.get("class") or ""):
            break
    return " ".join(node.itertext())


def _on_site(url: str, domains) -> bool:
    host = urlsplit(url).hostname or ""
    return not domains or any(host == d or host.endswith("." + d) for d in domains)


def _generic_link(response: TextResponse, el, domains) -> dict | None:
    """A link that looks like an article: an article-shaped URL with a Chinese title, or a
    dated item with a longer one; navigation only when it is both."""
    href = (el.get("href") or "").strip()
    if not href or href.startswith(("javascript:", "#", "mailto:")):
        return None
    url = response.urljoin(href)
    if attachment_re().search(url) or not _on_site(url, domains):
        return None
    text = re.sub(r"\s+", " ", "".join(el.itertext())).strip()
    title = (el.get("title") or "").strip() or text
    if next_text().match(text):
        return None
    dm = DATE_NEAR.search(_item_text(el).replace(text, ""))
    looks = bool(article_url().search(url))
    cjk = len(re.findall(r"[\u4e00-\u9fff]", title))
    if in_nav(el) and not (looks and dm):
        return None
    if (looks and cjk >= 4) or (dm and cjk >= 6):
        return {"url": url, "title": title, "date": dm.group(0) if dm else None}
    return None


def list_links(response: TextResponse, domains=(), selectors: dict | None = None) -> list[dict]:
    """Article links of a list page, each with its anchor title and any date beside it."""
    selectors = selectors or {}
    if selectors.get("item") or selectors.get("link"):
        return _selected_links(response, selectors)
    out, seen = [], set()
    for a in response.xpath("//a[@href]"):
        link = _generic_link(response, a.root, domains)
        if link and link["url"] not in seen:
            seen.add(link["url"])
            out.append(link)
    return out


def _selected_links(response, selectors) -> list[dict]:
    items = select(response, selectors["item"]) if selectors.get("item") else [response]
    out, seen = [], set()
    for it in items:
        links = select(it, selectors["link"]) if selectors.get("link") else it.xpath(".//a[@href]")
        for a in links[:1] if selectors.get("item") else links:
            href = a.attrib.get("href") if hasattr(a, "attrib") else None
            if not href:
                continue
            url = response.urljoin(href)
            if url in seen:
                continue
            seen.add(url)
            title = a.attrib.get("title") or a.xpath("string()").get("").strip()
            date = None
            if selectors.get("date") and selectors.get("item"):
                date = select(it, selectors["date"]).xpath("string()").get()
            out.append({"url": url, "title": title, "date": date.strip() if date else None})
    return out
