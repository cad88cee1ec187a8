"""Reading pages without per-site selectors: encodings, list links, pagination and
the raw fields of a detail page. Everything here returns raw strings; parsing them
(dates, document numbers, relevance) is pipeline/'s job.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from lxml import etree
from scrapy.http import TextResponse

# -- encodings --------------------------------------------------------------------------------
_LATIN_MOJIBAKE = re.compile(r"[\u0080-\u00ff]")


def _badness(text: str) -> int:
    # replacement characters, and Latin-1 letters that GBK bytes become when read as cp1252
    return text.count("\ufffd") * 4 + len(_LATIN_MOJIBAKE.findall(text))


def fix_encoding(response: TextResponse, forced: str | None = None) -> tuple[TextResponse, str, float]:
    """The response decoded with the encoding that reads it best, and the share of bad characters.

    Order: a source's encoding override; else what Scrapy chose (header, BOM, meta, guess),
    compared with UTF-8 and GB18030 (a superset of GBK/GB2312) — a page whose header or meta
    declares the wrong charset, or none, is still read correctly.
    """
    if forced:
        r = response.replace(encoding=forced)
        return r, forced, _ratio(r.text)
    body = response.body
    chosen = response.encoding
    best_enc, best_bad = chosen, _badness(response.text)
    if best_bad:
        for enc in ("utf-8", "gb18030"):
            if enc == chosen:
                continue
            bad = _badness(body.decode(enc, errors="replace"))
            if bad < best_bad:
                best_enc, best_bad = enc, bad
    r = response if best_enc == chosen else response.replace(encoding=best_enc)
    return r, best_enc, _ratio(r.text)


def _ratio(text: str) -> float:
    n = len(text) or 1
    return round(text.count("\ufffd") / n, 4)


# -- text -------------------------------------------------------------------------------------
_BLOCK = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
          "ul", "ol", "dd", "dt", "blockquote", "pre", "center"}
_SKIP = {"script", "style", "noscript", "iframe", "select", "option", "button", "svg", "form", "head"}


def html_text(node) -> str:
    """Text of an lxml element with line breaks at block elements; scripts left out."""
    out: list[str] = []

    def walk(el):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag.lower() in _SKIP:
            if el.tail:
                out.append(el.tail)
            return
        block = tag.lower() in _BLOCK
        if block:
            out.append("\n")
        if el.text and isinstance(el.tag, str):
            out.append(el.text)
        for child in el:
            walk(child)
        if block:
            out.append("\n")
        if el.tail:
            out.append(el.tail)

    walk(node)
    text = "".join(out).replace("\xa0", " ").replace("\u3000", " ")
    lines = [re.sub(r"[ \t\r\f\v]+", " ", ln).strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


# -- detail pages -----------------------------------------------------------------------------
@functools.cache
def cms() -> dict:
    """The CMS reading rules of crawler/cms.yaml, loaded on first use."""
    return yaml.safe_load((Path(__file__).parent / "cms.yaml").read_text(encoding="utf-8"))


_DATE_RAW = (r"([0-9０-９]{2,4}\s*[-/.年]\s*[0-9０-９]{1,2}\s*[-/.月]\s*[0-9０-９]{1,2}\s*日?"
             r"(?:\s*[0-9０-９]{1,2}[:：][0-9０-９]{2}(?:[:：][0-9０-９]{2})?)?)")


def _spaced(word: str) -> str:
    return r"\s*".join(map(re.escape, word))


@functools.cache
def date_labels() -> list[re.Pattern]:
    d = cms()["date_labels"]
    value = r"\s*[:：]\s*" + _DATE_RAW
    not_after = "".join(f"(?<!{re.escape(w)})" for w in d["not_after"])
    return [re.compile(f"(?:{'|'.join(map(_spaced, d['publication']))})" + value),
            re.compile(not_after + f"(?:{'|'.join(map(_spaced, d['generic']))})" + value)]


@functools.cache
def _attachment_re() -> re.Pattern:
    return re.compile(r"\.(%s)(?:$|[?#])" % "|".join(map(re.escape, cms()["attachment_extensions"])), re.I)


def _metas(response: TextResponse) -> dict[str, str]:
    """All <meta> name/property/itemprop → content, read once per page."""
    out: dict[str, str] = {}
    for m in response.xpath("//meta[@content]"):
        a = m.attrib
        key = a.get("name") or a.get("property") or a.get("itemprop")
        if key and a["content"].strip():
            out.setdefault(key.lower(), a["content"].strip())
    return out


def _meta(response: TextResponse, names, metas: dict | None = None) -> tuple[str, str] | None:
    metas = metas if metas is not None else _metas(response)
    for n in names:
        v = metas.get(n.lower())
        if v:
            return n, v
    return None


def _clean_title(t: str) -> str:
    t = re.sub(r"\s+", " ", t).strip()
    # "标题_某某省工业和信息化厅" / "标题 - 站点名"
    parts = re.split(r"\s*[_|]\s*|\s+-\s+", t)
    return parts[0] if parts and len(parts[0]) >= 4 else t


def _heading_title(response: TextResponse) -> str | None:
    """The article's heading: the one that the <title> repeats (a logo <h1> holding the site
    name does not count), else the longest heading outside navigation, else <title>."""
    raw_title = re.sub(r"\s+", " ", response.xpath("//title/text()").get() or "").strip()
    page_title = raw_title.replace(" ", "")
    heads = []
    for sel in cms()["heading_selectors"]:
        for node in response.css(sel)[:5]:
            t = re.sub(r"\s+", " ", node.xpath("string()").get() or "").strip()
            if 4 <= len(t) <= 120 and not _in_nav(node.root):
                heads.append(t)
    # the article heading is the longest heading that the <title> repeats ("标题_站点名" or
    # "站点名 栏目 标题"); a logo heading holding the site name is shorter
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
    """The main content element: a configured selector, a known CMS container, or None."""
    sels = [selector] if selector else []
    for sel in [*sels, *cms()["body_selectors"]]:
        nodes = response.xpath(sel) if sel.startswith(("/", "(")) else response.css(sel)
        best = None
        for n in nodes:
            text = html_text(n.root)
            if len(text) >= 20 and (best is None or len(text) > len(best[1])):
                best = (n, text)
        if best:
            return best
    return None


def detail_fields(response: TextResponse, selectors: dict | None = None) -> dict:
    """Raw strings of an article page: title, date candidates (with where each came from),
    main text, attachments and the labelled metadata of government pages."""
    selectors = selectors or {}
    out: dict = {"date_candidates": []}
    # title
    title = None
    if selectors.get("title"):
        sel = selectors["title"]
        title = " ".join((response.xpath(sel) if sel.startswith(("/", "(")) else response.css(sel)).xpath(
            "string()").getall()).strip() or None
    metas = _metas(response)
    if not title:
        m = _meta(response, cms()["title_meta"], metas)
        title = m[1] if m else None
    if not title:
        title = _heading_title(response)
    out["title"] = _clean_title(title) if title else None
    # dates
    if selectors.get("date"):
        sel = selectors["date"]
        v = (response.xpath(sel) if sel.startswith(("/", "(")) else response.css(sel)).xpath("string()").get()
        if v and v.strip():
            out["date_candidates"].append(("selector", v.strip()))
    m = _meta(response, cms()["date_meta"], metas)
    if m:
        out["date_candidates"].append(("meta", m[1]))
    # body
    found = body_node(response, selectors.get("body"))
    if found:
        node, text = found
        out["body"] = text
        out["body_from"] = "selector" if selectors.get("body") else "container"
    else:
        out["body"] = _fallback_text(response)
        out["body_from"] = "trafilatura" if out["body"] else "page"
        if not out["body"]:
            out["body"] = html_text(response.xpath("//body").pop().root) if response.xpath("//body") else ""
    page_text = html_text(response.xpath("//body")[0].root) if response.xpath("//body") else ""
    dm = next((m for m in (p.search(page_text) for p in date_labels()) if m), None)
    if dm:
        out["date_candidates"].append(("text", dm.group(1)))
    else:
        # an unlabelled date in an element named for it: <span class="date">2026年03月02日 14:05</span>
        for node in response.xpath('//*[contains(@class, "date") or contains(@class, "time") or contains(@id, "date")'
                                   ' or contains(@id, "time")][not(ancestor::a)]')[:8]:
            if _in_nav(node.root):
                continue
            v = re.sub(r"\s+", " ", node.xpath("string()").get() or "").strip()
            dv = re.search(_DATE_RAW, v) if v else None
            if dv and len(v) <= 40:
                out["date_candidates"].append(("text", dv.group(1)))
                break
    out["meta_fields"] = _labelled(response, page_text)
    if "发布日期" in out["meta_fields"] and not dm:
        out["date_candidates"].append(("text", out["meta_fields"]["发布日期"]))
    out["attachments"] = attachments(response)
    return out


def _fallback_text(response: TextResponse) -> str:
    try:
        import trafilatura
        return trafilatura.extract(response.text, include_comments=False, include_tables=True,
                                   favor_recall=True) or ""
    except Exception:  # trafilatura is a fallback; a failure there leaves the page text
        return ""


def _labelled(response: TextResponse, page_text: str) -> dict:
    """Label: value pairs of a metadata table (索引号, 发文字号, 发文机关, …)."""
    out = {}
    for label in cms()["metadata_labels"]:
        spaced = _spaced(label)
        if not re.search(spaced, page_text):
            continue
        m = re.search(rf"(?<![\u4e00-\u9fff]){spaced}\s*[:：]\s*([^\n]{{1,60}})", page_text)
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
    seen, out = set(), []
    for a in response.xpath("//a[@href]"):
        href = a.attrib["href"].strip()
        if not _attachment_re().search(href):
            continue
        url = response.urljoin(href)
        if url in seen:
            continue
        seen.add(url)
        title = re.sub(r"\s+", " ", a.xpath("string()").get() or a.attrib.get("title", "")).strip()
        out.append({"url": url, "title": title or url.rsplit("/", 1)[-1],
                    "type": _attachment_re().search(href).group(1).lower()})
    return out


# -- list pages -------------------------------------------------------------------------------
@functools.cache
def _article_url() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in cms()["article_url_patterns"]), re.I)


@functools.cache
def _nav() -> re.Pattern:
    return re.compile(r"(?:^|\s)(?:%s)(?:\s|$|[-_])" % "|".join(map(re.escape, cms()["nav_classes"])), re.I)


@functools.cache
def _next_text() -> re.Pattern:
    arrows = re.escape(cms()["next_page_arrows"])
    words = "|".join(map(re.escape, cms()["next_page_words"]))
    return re.compile(rf"^\s*(?:(?:{words})\s*[{arrows}]*|[{arrows}])\s*$")


DATE_NEAR = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}(?:\s*[-/.月]\s*\d{1,2}\s*日?)?|\d{1,2}-\d{1,2}")


def _in_nav(a) -> bool:
    for anc in a.iterancestors():
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag in ("nav", "header", "footer"):
            return True
        cls = (anc.get("class") or "") + " " + (anc.get("id") or "")
        if cls.strip() and _nav().search(cls):
            return True
    return False


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


def list_links(response: TextResponse, domains=(), selectors: dict | None = None) -> list[dict]:
    """Article links of a list page, each with its anchor title and any date beside it."""
    selectors = selectors or {}
    if selectors.get("item") or selectors.get("link"):
        return _selected_links(response, selectors)
    out, seen = [], set()
    for a in response.xpath("//a[@href]"):
        el = a.root
        href = (el.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        url = response.urljoin(href)
        if _attachment_re().search(url) or url in seen:
            continue
        host = urlsplit(url).hostname or ""
        if domains and not any(host == d or host.endswith("." + d) for d in domains):
            continue
        text = re.sub(r"\s+", " ", "".join(el.itertext())).strip()
        title = (el.get("title") or "").strip() or text
        if _next_text().match(text):
            continue
        around = _item_text(el)
        dated = bool(DATE_NEAR.search(around.replace(text, "")))
        looks = bool(_article_url().search(url))
        cjk = len(re.findall(r"[\u4e00-\u9fff]", title))
        if _in_nav(el) and not (looks and dated):
            continue
        if (looks and cjk >= 4) or (dated and cjk >= 6):
            seen.add(url)
            dm = DATE_NEAR.search(around.replace(text, ""))
            out.append({"url": url, "title": title, "date": dm.group(0) if dm else None})
    return out


def _selected_links(response, selectors) -> list[dict]:
    def sel(node, s):
        return node.xpath(s) if s.startswith(("/", "(", ".")) else node.css(s)

    items = sel(response, selectors["item"]) if selectors.get("item") else [response]
    out, seen = [], set()
    for it in items:
        links = sel(it, selectors["link"]) if selectors.get("link") else it.xpath(".//a[@href]")
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
                date = sel(it, selectors["date"]).xpath("string()").get()
            out.append({"url": url, "title": title, "date": date.strip() if date else None})
    return out


# the call, not the pager's own definition ("function createPageHTML(elemId, _nPageCount, …)")
_TRS_PAGER = re.compile(r"(?<!function )(?<!function\s)\bcreatePageHTML\s*\(([^)]*)\)")


def trs_next_page(response: TextResponse) -> str | None:
    """TRS WCM: createPageHTML(count, current, "prefix", "ext") — page n is prefix_n.ext."""
    m = next((c for c in _TRS_PAGER.finditer(response.text)
              if not re.search(r"function\s*$", response.text[max(0, c.start() - 12):c.start()])), None)
    if not m:
        return None
    args = [x.strip().strip("'\"") for x in m.group(1).split(",")]
    # createPageHTML(countPage, currentPage, "index", "html") with the numbers in script variables
    for i, a in enumerate(args):
        if re.fullmatch(r"[A-Za-z_$][\w$]*", a):
            v = re.search(rf"\b{re.escape(a)}\s*=\s*['\"]?(\d+)", response.text)
            if v:
                args[i] = v.group(1)
    nums = [int(x) for x in args if re.fullmatch(r"\d+", x)]
    strs = [x for x in args if x and not re.fullmatch(r"\d+", x)]
    if len(nums) < 2:
        return None
    count, current = nums[0], nums[1]
    prefix, ext = (strs[-2], strs[-1]) if len(strs) >= 2 else ("index", "html")
    if strs and len(strs) >= 3:  # newer signature: ("pager_div", count, current, "prefix", "ext")
        prefix, ext = strs[-2], strs[-1]
    if current + 1 >= count:
        return None
    return response.urljoin(f"{prefix}_{current + 1}.{ext}")


def next_link(response: TextResponse) -> str | None:
    for a in response.xpath("//a[@href]"):
        text = re.sub(r"\s+", "", a.xpath("string()").get() or "")
        rel = (a.attrib.get("rel") or "").lower()
        cls = (a.attrib.get("class") or "").lower()
        if _next_text().match(text) or rel == "next" or cls in cms()["next_page_classes"]:
            href = a.attrib["href"].strip()
            if href and not href.startswith(("javascript:", "#")):
                url = response.urljoin(href)
                if url != response.url:
                    return url
    nxt = response.xpath('//link[@rel="next"]/@href').get()
    return response.urljoin(nxt) if nxt else None


_HANWEB_PARAM = re.compile(r"""['"]?(columnid|unitid|webid|appid|perpage|col|webname|path|permissiontype|sourceContentType)['"]?\s*[:=]\s*['"]?([^'",&\s}]+)""")


def hanweb_request(response: TextResponse) -> tuple[str, dict] | None:
    """Hanweb JCMS: the data-proxy URL and form fields read from the column page's script."""
    text = response.text
    if "dataproxy.jsp" not in text:
        return None
    m = re.search(r"""['"]?((?:https?://[^'"\s]+)?/module/web/jpage/dataproxy\.jsp)""", text)
    url = response.urljoin(m.group(1)) if m else response.urljoin("/module/web/jpage/dataproxy.jsp")
    params = {}
    for k, v in _HANWEB_PARAM.findall(text):
        params.setdefault(k, v)
    if "columnid" not in params:
        cm = re.search(r"/col/col(\d+)/", response.url)
        if cm:
            params["columnid"] = cm.group(1)
    if "columnid" not in params:
        return None
    params.setdefault("col", "1")
    params.setdefault("appid", "1")
    params.setdefault("webid", "1")
    params.setdefault("path", "/")
    params.setdefault("permissiontype", "0")
    params.setdefault("sourceContentType", "1")
    return url, params


def hanweb_records(xml_text: str) -> tuple[list[str], int | None]:
    """(records as HTML snippets, total record count) of a data-proxy answer."""
    recs = re.findall(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", xml_text, re.S)
    m = re.search(r"<totalrecord>\s*(\d+)\s*</totalrecord>", xml_text)
    return recs, int(m.group(1)) if m else None


def feed_entries(response: TextResponse) -> list[dict]:
    """Entries of an RSS 2.0, RSS 1.0 or Atom feed: link, title, date, summary."""
    try:
        root = etree.fromstring(response.body, parser=etree.XMLParser(recover=True, resolve_entities=False))
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    out = []
    for item in root.iter():
        tag = etree.QName(item).localname if isinstance(item.tag, str) else ""
        if tag not in ("item", "entry"):
            continue
        fields = {etree.QName(c).localname: c for c in item if isinstance(c.tag, str)}
        link = None
        if "link" in fields:
            lk = [c for c in item if isinstance(c.tag, str) and etree.QName(c).localname == "link"]
            for c in lk:
                if c.get("href") and c.get("rel", "alternate") == "alternate":
                    link = c.get("href")
                    break
            link = link or (lk[0].text or "").strip() or lk[0].get("href")
        if not link and "guid" in fields:
            link = (fields["guid"].text or "").strip()
        if not link:
            continue
        date = None
        for k in ("pubDate", "published", "updated", "date", "issued"):
            if k in fields and fields[k].text:
                date = fields[k].text.strip()
                break
        summary = None
        for k in ("description", "summary", "content"):
            if k in fields:
                summary = "".join(fields[k].itertext()).strip()
                break
        title = "".join(fields["title"].itertext()).strip() if "title" in fields else ""
        out.append({"url": response.urljoin(link), "title": title, "date": date, "summary": summary})
    return out


def sitemap_entries(response: TextResponse) -> tuple[str, list[dict]]:
    """('index', child sitemaps) or ('urlset', pages) with their lastmod."""
    try:
        root = etree.fromstring(response.body, parser=etree.XMLParser(recover=True, resolve_entities=False))
    except etree.XMLSyntaxError:
        return "urlset", []
    if root is None:
        return "urlset", []
    kind = "index" if etree.QName(root).localname == "sitemapindex" else "urlset"
    out = []
    for el in root:
        if not isinstance(el.tag, str):
            continue
        f = {etree.QName(c).localname: (c.text or "").strip() for c in el if isinstance(c.tag, str)}
        if f.get("loc"):
            out.append({"url": response.urljoin(f["loc"]), "date": f.get("lastmod") or None, "title": None})
    return kind, out
