"""Generic page reading on shapes the saved sites do not show (variants of the same CMS families)."""
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request

from crawler.reading import article, cms, lists, pagers
from crawler.reading.html_text import html_text


def page(html: str, url="http://gov.test/xxgk/tzgg/index.html", charset="utf-8"):
    return HtmlResponse(url=url, body=html.encode(charset), headers={"Content-Type": f"text/html; charset={charset}"},
                        request=Request(url))


def test_trs_pager_with_script_variables():
    r = page('<script>var countPage = 7;var currentPage = 2;createPageHTML(countPage, currentPage,"index","shtml");</script>')
    assert pagers.trs_next_page(r) == "http://gov.test/xxgk/tzgg/index_3.shtml"


def test_trs_pager_newer_signature():
    r = page('<script>createPageHTML("page_div",10, 0,"list","html",195);</script>')
    assert pagers.trs_next_page(r) == "http://gov.test/xxgk/tzgg/list_1.html"


def test_logo_heading_is_not_the_title():
    r = page("<html><head><title>关于做好2026年区块链产业园区申报工作的通知_某某省人民政府</title></head><body>"
             "<div class='header'><h1 class='logo'>某某省人民政府</h1></div>"
             "<div class='main'><h2>关于做好2026年区块链产业园区申报工作的通知</h2><div id='zoom'><p>各市州工业和信息化局："
             "现将有关事项通知如下。</p></div></div></body></html>", url="http://gov.test/art/2026/1/5/art_1_2.html")
    assert article.detail_fields(r)["title"] == "关于做好2026年区块链产业园区申报工作的通知"


def test_title_from_page_title_when_there_is_no_heading():
    r = page("<html><head><title>某市区块链产业园揭牌 - 某市新闻网</title></head><body><p>正文内容：某市区块链产业园今日揭牌，"
             "首批入驻企业 30 家。</p></body></html>")
    assert article.detail_fields(r)["title"] == "某市区块链产业园揭牌"


def test_list_links_from_a_table_layout_with_dates():
    rows = "".join(f"<tr><td><a href='/art/2026/3/{d}/art_12_{d}.html'>关于区块链产业发展的第{d}号通知</a></td>"
                   f"<td>2026-03-{d:02d}</td></tr>" for d in range(1, 6))
    r = page(f"<div class='nav'><a href='/'>首页</a><a href='/xxgk/'>信息公开</a></div><table>{rows}</table>")
    links = lists.list_links(r, ("gov.test",))
    assert [link["date"] for link in links] == [f"2026-03-{d:02d}" for d in range(1, 6)]


def test_published_time_label_in_traditional_characters():
    r = page("<html><body><h1>某某區塊鏈產業園開園儀式舉行</h1><div class='info'>發佈時間：2026-05-06 10:00</div>"
             "<div class='content'><p>某某區塊鏈產業園今日正式開園，首批入駐企業逾五十家。</p></div></body></html>")
    f = article.detail_fields(r)
    assert ("text", "2026-05-06 10:00") in f["date_candidates"]


def test_inline_hanweb_records():
    xml = ("<datastore><recordset><record><![CDATA[<li><a href='/art/2026/2/1/art_5_9.html'>标题甲乙丙丁</a>"
           "<span>2026-02-01</span></li>]]></record></recordset></datastore>")
    recs, total = pagers.hanweb_records(f"<script type='text/xml'>{xml}</script>")
    assert len(recs) == 1 and total is None


def test_cms_rules_table():
    import re

    rules = cms.cms()
    for key in ("body_selectors", "heading_selectors", "date_meta", "metadata_labels", "attachment_extensions",
                "article_url_patterns", "nav_classes", "next_page_words"):
        assert rules[key] and len(rules[key]) == len(set(rules[key])), key
    for p in rules["article_url_patterns"]:
        re.compile(p)
    r = page("<div class='x'>" + "".join(f"<p>{i}</p>" for i in range(3)) + "</div>")
    for sel in rules["body_selectors"] + rules["heading_selectors"]:
        r.css(sel)            # every selector is valid CSS


MIRROR_PAGES = sorted(p for p in (Path(__file__).parents[2] / "crawler" / "mirror").rglob("*.htm*"))


@pytest.mark.parametrize("path", MIRROR_PAGES[::3], ids=lambda p: p.parent.name + "/" + p.name)
def test_page_text_reuses_the_main_content_without_changing_it(path):
    """The page text walks <body> once, taking the main content's pieces as read before: the
    same text as a walk of its own (every third saved page, GBK ones too)."""
    body = path.read_bytes()
    r = HtmlResponse(url="http://site.example/a.html", body=body,
                     encoding="gbk" if b"charset=gb" in body[:2000].lower() else "utf-8")
    found = article.body_node(r)
    assert article._page_text(r, found) == html_text(r.xpath("//body")[0].root)
    if found:
        assert found[1] == html_text(found[0].root)
