"""Where the next list page is: TRS createPageHTML calls, 下一页 links, Hanweb data proxies."""
from __future__ import annotations

import re

from scrapy.http import TextResponse

from .cms import cms, next_text

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
    # ("pager_div", count, current, "prefix", "ext") and (count, current, "prefix", "ext") alike
    prefix, ext = (strs[-2], strs[-1]) if len(strs) >= 2 else ("index", "html")
    if current + 1 >= count:
        return None
    return response.urljoin(f"{prefix}_{current + 1}.{ext}")


def next_link(response: TextResponse) -> str | None:
    for a in response.xpath("//a[@href]"):
        text = re.sub(r"\s+", "", a.xpath("string()").get() or "")
        rel = (a.attrib.get("rel") or "").lower()
        cls = (a.attrib.get("class") or "").lower()
        if next_text().match(text) or rel == "next" or cls in cms()["next_page_classes"]:
            href = a.attrib["href"].strip()
            if href and not href.startswith(("javascript:", "#")):
                url = response.urljoin(href)
                if url != response.url:
                    return url
    nxt = response.xpath('//link[@rel="next"]/@href').get()
    return response.urljoin(nxt) if nxt else None


_HANWEB_PARAM = re.compile(r"""['"]?(columnid|unitid|webid|appid|perpage|col|webname|path|permissiontype|sourceContentType)['"]?\s*[:=]\s*['"]?([^'",&\s}]+)""")
_HANWEB_DEFAULTS = {"col": "1", "appid": "1", "webid": "1", "path": "/", "permissiontype": "0",
                    "sourceContentType": "1"}


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
    return url, {**_HANWEB_DEFAULTS, **params}


def hanweb_records(xml_text: str) -> tuple[list[str], int | None]:
    """(records as HTML snippets, total record count) of a data-proxy answer."""
    recs = re.findall(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", xml_text, re.S)
    m = re.search(r"<totalrecord>\s*(\d+)\s*</totalrecord>", xml_text)
    return recs, int(m.group(1)) if m else None
