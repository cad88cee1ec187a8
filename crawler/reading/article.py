"""The raw fields of an article page: title, date candidates, main text, attachments and
the labelled metadata of government pages. Raw strings only; parsing is pipeline/'s job."""
from __future__ import annotations

import re

from scrapy.http import TextResponse

from .cms import DATE_RAW, attachment_re, cms, date_labels, in_nav, spaced
from .html_text import joined, pieces
from .selectors import select, text_of

# a page whose main text came out shorter than this is read again by a second parser
_SHORT_TEXT = 20


def _metas(response: TextResponse) -> dict[str, str]:
    """All <meta> name/property/itemprop → content, read once per page."""
    out: dict[str, str] = {}
    for m in response.xpath("//meta[@content]"):
        a = m.attrib
        key = a.get("name") or a.get("property") or a.get("itemprop")
        if key and a["content"].strip():
            out.setdefault(key.lower(), a["content"].strip())
    return out


def _meta(metas: dict, names) -> str | None:
    return next((metas[n.lower()] for n in names if metas.get(n.lower())), None)


def _clean_title(t: str) -> str:
    t = re.sub(r"\s+", " ", t).strip()
    # "标题_某某省工业和信息化厅" / "标题 - 站点名"
    parts = re.split(r"\s*[_|]\s*|\s+-\s+", t)
    return parts[0] if parts and len(parts[0]) >= 4 else t


def _heading_title(response: TextResponse) -> str | None:
    """The article's heading: the longest heading that the <title> repeats ("标题_站点名" or
    "站点名 栏目 标题"; a logo heading holding the site name is shorter), else <title>
    cleaned, else the longest heading outside navigation."""
    raw_title = re.sub(r"\s+", " ", response.xpath("//title/text()").get() or "").strip()
    page_title = raw_title.replace(" ", "")
    heads = []
    for sel in cms()["heading_selectors"]:
        for node in response.css(sel)[:5]:
            t = re.sub(r"\s+", " ", node.xpath("string()").get() or "").strip()
            if 4 <= len(t) <= 120 and not in_nav(node.root):
                heads.append(t)
    repeated = [t for t in heads if len(t.replace(" ", "")) >= 6 and t.replace(" ", "") in page_title]
    if repeated:
        return max(repeated, key=lambda t: len(t.replace(" ", "")))
    if page_title:
        first = _clean_title(raw_title)
        if len(first) >= 6:
            # <title> is "article_site"; a heading that shares it wins for its spacing
            return next((t for t in heads if t.replace(" ", "") == first.replace(" ", "")), first)
    return max(heads, key=len) if heads else (raw_title or None)


def body_node(response: TextResponse, selector: str | None = None):
    """(element, text, its raw pieces) of the main content: a configured selector, a known CMS
    container, or None."""
    for sel in [*([selector] if selector else []), *cms()["body_selectors"]]:
        best = None
        for n in select(response, sel):
            parts = pieces(n.root)
            text = joined([*parts, n.root.tail or ""])
            if len(text) >= _SHORT_TEXT and (best is None or len(text) > len(best[1])):
                best = (n, text, parts)
        if best:
            return best
    return None


def _page_text(response: TextResponse, found=None) -> str:
    """The text of <body>; the main content's pieces, when found, are not read a second time."""
    body = response.xpath("//body")
    if not body:
        return ""
    known = {found[0].root: found[2]} if found else None
    return joined([*pieces(body[0].root, known), body[0].root.tail or ""])


def _reparsed_text(response: TextResponse) -> str:
    """The page's text read by Python's own HTML parser (through BeautifulSoup): it has no
    nesting limit, where libxml2 stops reading near 2,048 levels and drops the rest."""
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(response.text, "html.parser")
    for tag in soup(["script", "style", "noscript", "head"]):
        tag.decompose()
    lines = (re.sub(r"\s+", " ", ln).strip() for ln in soup.get_text("\n").split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _fallback_text(response: TextResponse) -> str:
    try:
        import trafilatura
        return trafilatura.extract(response.text, include_comments=False, include_tables=True,
                                   favor_recall=True) or ""
    except Exception:  # trafilatura is a fallback; a failure there leaves the page text
        return ""


def _body(response: TextResponse, found, page_text: str, selector: str | None) -> tuple[str, str]:
    """(main text, where it came from: selector | container | trafilatura | page | reparsed)."""
    if found:
        return found[1], "selector" if selector else "container"
    text = _fallback_text(response)
    if text:
        return text, "trafilatura"
    if len(page_text) >= _SHORT_TEXT:
        return page_text, "page"
    if len(response.body) > 4 * len(page_text) + 2000:
        # much HTML, almost no text: libxml2 may have stopped reading (deep nesting)
        text = _reparsed_text(response)
        if len(text) > len(page_text):
            return text, "reparsed"
    return page_text, "page"


def _date_candidates(response: TextResponse, selectors: dict, metas: dict, page_text: str, compact: str):
    """([(where, raw date)], whether the page text has a labelled date: 发布时间：…)."""
    out = []
    if selectors.get("date"):
        v = text_of(response, selectors["date"])
        if v:
            out.append(("selector", v))
    m = _meta(metas, cms()["date_meta"])
    if m:
        out.append(("meta", m))
    dm = next((m for m in (p.search(page_text) for p, words in date_labels() if any(w in compact for w in words))
               if m), None)
    if dm:
        out.append(("text", dm.group(1)))
        return out, True
    # an unlabelled date in an element named for it: <span class="date">2026年03月02日 14:05</span>
    for node in response.xpath('//*[contains(@class, "date") or contains(@class, "time") or contains(@id, "date")'
                               ' or contains(@id, "time")][not(ancestor::a)]')[:8]:
        if in_nav(node.root):
            continue
        v = re.sub(r"\s+", " ", node.xpath("string()").get() or "").strip()
        dv = re.search(DATE_RAW, v) if v else None
        if dv and len(v) <= 40:
            out.append(("text", dv.group(1)))
            break
    return out, False


def detail_fields(response: TextResponse, selectors: dict | None = None) -> dict:
    """Raw strings of an article page: title, date candidates (with where each came from),
    main text, attachments and the labelled metadata of government pages."""
    selectors = selectors or {}
    metas = _metas(response)
    title = (text_of(response, selectors["title"]) if selectors.get("title") else None) \
        or _meta(metas, cms()["title_meta"]) or _heading_title(response)
    found = body_node(response, selectors.get("body"))
    page_text = _page_text(response, found)
    compact = _compact(page_text)
    body, body_from = _body(response, found, page_text, selectors.get("body"))
    dates, labelled = _date_candidates(response, selectors, metas, page_text, compact)
    meta_fields = _labelled(response, page_text, compact)
    if "发布日期" in meta_fields and not labelled:
        dates.append(("text", meta_fields["发布日期"]))
    return {"title": _clean_title(title) if title else None, "date_candidates": dates, "body": body,
            "body_from": body_from, "meta_fields": meta_fields, "attachments": attachments(response)}


def _compact(text: str) -> str:
    """The text without whitespace: a label printed as 索 引 号 is found by a plain substring test."""
    return "".join(text.split())


def _labelled(response: TextResponse, page_text: str, compact: str) -> dict:
    """Label: value pairs of a metadata table (索引号, 发文字号, 发文机关, …)."""
    out = {}
    for label in (w for w in cms()["metadata_labels"] if w in compact):
        sp = spaced(label)
        m = re.search(rf"(?<![\u4e00-\u9fff]){sp}\s*[:：]\s*([^\n]{{1,60}})", page_text)
        if not m:
            cell = response.xpath(f'//td[contains(translate(normalize-space(.), " \u00a0\u3000", ""), "{label}")]'
                                  f'[1]/following-sibling::td[1]')
            v = cell.xpath("string()").get()
            if v and v.strip():
                out[label] = re.sub(r"\s+", " ", v).strip()
            continue
        v = re.split(r"\s{2,}|　", m.group(1).strip())[0].strip()
        if v:
            out[label] = v
    return out


def attachments(response: TextResponse) -> list[dict]:
    """Linked files (PDF, DOC, XLS, OFD …) over http(s) only: never javascript: or data: links."""
    seen, out = set(), []
    for a in response.xpath("//a[@href]"):
        href = a.attrib["href"].strip()
        m = attachment_re().search(href)
        if not m:
            continue
        url = response.urljoin(href)
        if url in seen or not url.startswith(("http://", "https://")):
            continue
        seen.add(url)
        title = re.sub(r"\s+", " ", a.xpath("string()").get() or a.attrib.get("title", "")).strip()
        out.append({"url": url, "title": title or url.rsplit("/", 1)[-1], "type": m.group(1).lower()})
    return out
