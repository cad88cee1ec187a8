"""One document through the extraction stage, against the census: resolution to known parks,
candidates (one per park across documents and spellings), funds linked to parks, and documents
that are about nothing of ours. A table of cases; every bug fixed adds one."""
from __future__ import annotations

import pytest

from pipeline.evaluate.facts import census_resolver
from pipeline.resolve.document import read_document
from pipeline.resolve.resolver import Resolver


@pytest.fixture(scope="module")
def census():
    return census_resolver()


def _read(census, title, body, published="2026-06-01", candidates=None):
    return read_document(title, body, published=published, parks=census,
                         candidates=candidates if candidates is not None else Resolver())


# the census park a news text's name for it resolves to
KNOWN = [
    ("湖南星沙区块链产业园新入驻企业12家", "p020"),
    ("长沙县星沙区块链产业园启用二期", "p020"),
    ("黄埔链谷举办开放日", "p010"),
    ("广州黄埔链谷新增企业", "p010"),
    ("海南自贸港区块链试验区企业破千", "p015"),
    ("苏州高铁新城“链谷”入驻企业超百家", "p023"),
    ("青岛市北区“链湾”迎来新企业", "p028"),
    ("成都成华区区块链产业园开园一周年", "p035"),
    ("娄底市区块链产业园再获授牌", "p021"),
    ("中国（萧山）区块链创新创业基地发布新政", "p039"),
    ("湖南省区块链产业园（娄底万宝）新增企业", "p021"),
]


@pytest.mark.parametrize("title, park_id", KNOWN)
def test_a_census_park_under_a_news_name(census, title, park_id):
    f = _read(census, title, title + "。")
    assert [e.park_id for e in f.parks] == [park_id], [(e.name, e.park_id, e.candidate) for e in f.parks]


def test_the_same_spelling_in_another_province_is_another_park(census):
    # 嘉兴区块链产业园 is p042 (浙江); a 嘉兴 park cannot be in 江西
    f = _read(census, "江西南昌区块链产业园开园", "江西省南昌市区块链产业园今日开园，入驻企业20家。")
    assert all(e.park_id is None for e in f.parks) and f.parks[0].candidate


REPOSTS = [
    ("芜湖江城链谷区块链产业园正式开园", "11月8日，芜湖江城链谷区块链产业园正式开园，首批入驻企业32家。"),
    ("蕪湖江城鏈谷區塊鏈產業園開園", "安徽蕪湖江城鏈谷區塊鏈產業園8日開園，首批入駐企業32家。"),
    ("安徽再添区块链产业载体", "位于芜湖市弋江区的江城链谷区块链产业园8日开园，由区政府主导建设。"),
]


def test_reposts_and_traditional_characters_are_one_candidate(census):
    cands = Resolver()
    keys = [[e.candidate for e in _read(census, t, b, "2026-11-09", cands).parks] for t, b in REPOSTS]
    assert all(len(k) == 1 for k in keys), keys
    assert len({k[0] for k in keys}) == 1, keys
    assert all(k[0] is not None for k in keys)


@pytest.mark.parametrize("title, body", [
    ("我市将建设区块链产业园", "我市将加快建设区块链产业园，打造区块链产业集聚区。"),
    ("区块链产业园招聘启事", "某区块链产业园招聘运营专员，岗位职责：负责园区招商。任职要求：本科以上。"),
    ("某公司完成B轮融资", "深圳某区块链公司完成B轮融资2亿元，入驻前海区块链产业园。"),
    ("数字经济产业园开园", "绍兴数字经济产业园占地300亩，入驻企业80家，涵盖人工智能、区块链、大数据等领域。"),
    ("元宇宙产业基金设立", "杭州设立元宇宙产业基金，规模10亿元。"),
    ("全省区块链产业发展情况", "数据显示，全省已建成区块链产业园区12个，集聚企业超过500家。"),
])
def test_nothing_of_ours(census, title, body):
    cands = Resolver()
    f = _read(census, title, body, candidates=cands)
    assert (f.parks, f.policies, f.funds) == ([], [], []), f.classification
    assert cands.parks == {}                       # no candidate remembered either


# beside a park that opens: descriptions, titles and sentence fragments are no other park
FRAGMENTS = ["园区内设有区块链展示中心，可供参观。", "下一步将推动建设区块链与算力融合发展示范区。",
             "园区将打造区块链主题产业园区，完善配套服务。", "园区已被认定为四川省区块链特色产业园。",
             "园区同时入选湖北省区块链应用示范基地。", "园区将加强与内地区块链产业园的交流合作。",
             "园区建成区块链公共技术服务平台和数据要素流通中心。", "园区对照省级区块链产业园标准建设。",
             # found on the demo's mirror
             "各地要积极开展国家区块链创新应用试点工作。", "支持本地区区块链产业园区建设。",
             "其中来自区块链产业园区的案例23个。", "园区代表参加全国区块链发展先导区建设推进会。"]


@pytest.mark.parametrize("sentence", FRAGMENTS)
def test_only_the_park_that_is_named(census, sentence):
    f = _read(census, "宜宾临港区块链产业园开园", "3月2日，宜宾临港区块链产业园正式开园，首批入驻企业26家。" + sentence)
    assert [e.name for e in f.parks] == ["宜宾临港区块链产业园"], [e.name for e in f.parks]


def test_a_stop_word_that_runs_into_a_place_still_ends_the_name_before(census):
    # 认定 + 南昌: not the county 定南 (赣州)
    f = _read(census, "示范基地名单", "经专家评审，认定南昌高新区区块链产业园为示范基地。")
    assert [(e.name, e.province, e.city) for e in f.parks] == [("南昌高新区区块链产业园", "江西", "南昌")]


def test_a_fund_that_lands_somewhere_is_no_park(census):
    f = _read(census, "基金落地", "1亿美元区块链国际创新基金落地海南生态软件园。")
    assert f.parks == [] and [x.name for x in f.funds] == ["区块链国际创新基金"]


def test_a_fund_set_up_for_a_park_is_the_parks_fund_figure(census):
    f = _read(census, "洛阳设立区块链产业引导基金",
              "洛阳市设立洛阳市区块链产业引导基金，基金总规模10亿元，将主要投向洛阳数链产业园内的区块链企业。")
    figures = {(e.name, x.field): x.value for e in f.parks for x in e.facts}
    assert figures.get(("洛阳数链产业园", "fund_yuan")) == 1_000_000_000, figures
    assert f.funds and f.funds[0].size_raw == "10亿元"


def test_a_regional_fund_is_no_parks_figure(census):
    # bug: the fund of a two-province agreement went to the last park of the list before it
    f = _read(census, "湘赣两省签署区块链产业协同发展合作框架协议",
              "两省将以长沙经开区区块链产业园、赣州区块链金融产业沙盒园为重点载体。"
              "两省将联合发起设立湘赣边区块链产业协同发展基金，基金总规模 6 亿元，首期 1.5 亿元。", "2026-11-06")
    assert not [x for e in f.parks for x in e.facts], [(e.name, e.facts) for e in f.parks]
    assert [x.size for x in f.funds] == [600_000_000]
