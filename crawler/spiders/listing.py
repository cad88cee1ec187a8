"""List pages of government and news sites: TRS, Hanweb data proxy, next links, templates."""
from __future__ import annotations

import scrapy
from scrapy.http import TextResponse

from ..reading.cms import DATE_NEAR
from ..reading.encoding import fix_encoding
from ..reading.lists import list_links
from ..reading.pagers import hanweb_records, hanweb_request, next_link, trs_next_page
from .base import SourceSpider


class ListingSpider(SourceSpider):
    kind_name = "listing"

    def parse_list(self, response):
        if not isinstance(response, TextResponse):
            return
        self.store.count("list_pages")
        response, _, _ = fix_encoding(response, self.source.encoding)
        page = response.meta.get("page", 1)
        hw = None if self.source.selectors else hanweb_request(response)
        if hw:
            yield from self._hanweb_column(response, hw)
            return
        links = list_links(response, self.source.domains, self.source.selectors)
        if not links and not self.source.selectors:
            # Hanweb pages that embed their first records as XML in a script, without a proxy call
            links = self._record_links(response, hanweb_records(response.text)[0])
        reqs, all_known = self.follow_links(links, via=response.url)
        yield from reqs
        nxt = self._next_page(response, page)
        if nxt and self.should_continue(page, all_known, nothing=not links):
            yield self.list_request(nxt, page=page + 1)

    def _next_page(self, response, page):
        pag = self.source.pagination
        kind = pag.get("type", "auto")
        if kind == "none":
            return None
        if kind == "template" or pag.get("template"):
            start = int(pag.get("start", 1))
            return response.urljoin(pag["template"].format(n=start + page - 1))
        if kind in ("auto", "trs"):
            nxt = trs_next_page(response)
            if nxt or kind == "trs":
                return nxt
        return next_link(response)

    # -- Hanweb JCMS: the list comes from a data proxy -------------------------------------
    def _hanweb_column(self, response, hw):
        """A column page: its inline records first; the data proxy only when they are not all
        known already (a re-crawl of an unchanged column posts nothing)."""
        url, params = hw
        inline = self._record_links(response, hanweb_records(response.text)[0])
        if inline:
            reqs, all_known = self.follow_links(inline, via=response.url)
            yield from reqs
            if self.incremental and all_known:
                return
        yield self._hanweb(url, params, int(params.get("perpage") or 15), start=1)

    def _hanweb(self, url, params, per, start):
        form = {**params, "startrecord": str(start), "endrecord": str(start + per * 3 - 1), "perpage": str(per)}
        return scrapy.FormRequest(url, formdata=form, callback=self.parse_dataproxy, errback=self.on_error,
                                  dont_filter=True,
                                  meta={"page": (start - 1) // (per * 3) + 1, "hw": (url, params, per, start)})

    @staticmethod
    def _record_links(response, records):
        links = []
        for rec in records:
            sel = scrapy.Selector(text=rec)
            a = sel.xpath("//a[@href]")
            if not a:
                continue
            text = " ".join(sel.xpath("//text()").getall())
            dm = DATE_NEAR.search(text.replace(a[0].xpath("string()").get() or "", ""))
            links.append({"url": response.urljoin(a[0].attrib["href"]),
                          "title": (a[0].attrib.get("title") or a[0].xpath("string()").get() or "").strip(),
                          "date": dm.group(0) if dm else None})
        return links

    def parse_dataproxy(self, response):
        self.store.count("list_pages")
        url, params, per, start = response.meta["hw"]
        records, total = hanweb_records(response.text)
        links = self._record_links(response, records)
        reqs, all_known = self.follow_links(links, via=response.url)
        yield from reqs
        nxt = start + per * 3
        page = response.meta["page"]
        more = total is not None and nxt <= total
        if more and self.should_continue(page, all_known, nothing=not records):
            yield self._hanweb(url, params, per, nxt)
