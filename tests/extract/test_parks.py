"""Park mentions of one document: names, places, events, operators and whose figure is whose.

A table of cases; every bug fixed adds one. Each case lists the parks expected (a subset of
fields is checked) and names that must not be parks."""
from __future__ import annotations

import pytest

from pipeline.extract.parks import park_mentions
from pipeline.extract.records import document_text
from pipeline.resolve.entities import entity, group

# (id, title, body, published, expected parks {name: {field: value}}, names that are no park)
CASES = [
    ("opening", "芜湖江城链谷区块链产业园正式开园",
     "11月8日，芜湖江城链谷区块链产业园正式开园。园区由弋江区政府主导建设，占地约120亩，首批入驻企业32家。",
     "2026-11-09",
     {"芜湖江城链谷区块链产业园": {"province": "安徽", "city": "芜湖", "event": "开园", "event_date": "2026-11-08",
                             "gov_led": True, "area_m2": 80000, "enterprises": 32}}, []),
    ("quoted nickname", "盐城“黄海链谷”获批国家区块链发展先导区", "日前，盐城经济技术开发区“黄海链谷”获批。",
     "2026-05-01", {"盐城“黄海链谷”": {"province": "江苏", "city": "盐城"}}, []),
    ("traditional characters", "廈門海滄區塊鏈產業園揭牌", "海滄區塊鏈產業園建築面積3.2萬平方米，已入駐企業41家。",
     "2026-03-02",
     {"廈門海滄區塊鏈產業園": {"province": "福建", "city": "厦门", "area_m2": 32000, "enterprises": 41}}, []),
    ("a supply-chain park is no blockchain park", "临沂供应链产业园开园",
     "临沂供应链产业园占地300亩，入驻企业120家。", "2026-01-01", {}, ["临沂供应链产业园"]),
    ("an association is no park", "西安区块链产业协会成立", "西安区块链产业协会今日成立。", "2026-01-01", {},
     ["西安区块链产业协会"]),
    ("the company that runs it is no park", "河南中链孵化器管理有限公司成立",
     "河南中链孵化器管理有限公司负责运营郑州区块链孵化器。", "2026-01-01",
     {"郑州区块链孵化器": {"province": "河南", "city": "郑州"}}, ["河南中链孵化器"]),
    ("a neighbour park's figure is the neighbour's", "深圳南山区块链产业园开园",
     "深圳南山区块链产业园入驻企业28家，与其相邻的深港国际人工智能产业园建筑面积10万平方米。", "2026-01-01",
     {"深圳南山区块链产业园": {"enterprises": 28, "area_m2": None}}, []),
    ("district totals and sub-counts are not the park's", "成都高新区区块链产业园发展迅速",
     "成都高新区区块链产业园现有入驻企业85家，其中区块链核心企业31家。全区区块链企业超过300家。", "2026-01-01",
     {"成都高新区区块链产业园": {"enterprises": 85}}, []),
    ("a second phase's area is the phase's", "杭州余杭区块链产业园二期开工",
     "杭州余杭区块链产业园二期项目开工，二期建筑面积6万平方米。", "2026-01-01",
     {"杭州余杭区块链产业园": {"event": "开工", "area_m2": None}}, []),
    # bug: the running total (累计) was kept over the count as it stands (目前在孵)
    ("the count now beats the running total", "遵义区块链孵化基地三年孵化企业51家",
     "2023年，遵义区块链孵化基地揭牌。基地累计孵化企业51家，目前在孵企业22家。", "2026-04-01",
     {"遵义区块链孵化基地": {"enterprises": 22}}, []),
    # bug: an industrial zone's count of above-scale firms went to the base inside it
    ("above-scale firms of the host zone are not the park's", "德阳区块链产业基地挂牌",
     "德阳区块链产业基地在德阳经开区挂牌，已入驻企业18家。所在工业园区现有规模以上工业企业210家。", "2026-04-01",
     {"德阳区块链产业基地": {"enterprises": 18}}, []),
    # bug: the new building's area was taken, not the park's total that the sentence then gives
    ("a new building's area, then the park's total", "绵阳区块链产业园新载体启用",
     "绵阳区块链产业园新载体正式启用。新载体建筑面积2万平方米，启用后，产业园载体面积达到12万平方米。", "2026-04-01",
     {"绵阳区块链产业园": {"area_m2": 120000}}, []),
    # bug: the date of the sentence before was not seen when that sentence ended a paragraph (。\n)
    ("the date of the paragraph before", "数字经济大会开幕",
     "6月6日上午，数字经济大会在兰州新区开幕。\n开幕式上，兰州新区区块链产业园正式揭牌。", "2023-06-07",
     {"兰州新区区块链产业园": {"event": "揭牌", "event_date": "2023-06-06"}}, []),
    # bugs: an anniversary, the years since an opening and a fund set up by the park were events
    ("an anniversary is no event", "星沙区块链产业园四周年",
     "今年8月，星沙区块链产业园迎来成立四周年，入驻企业126家。", "2026-08-20",
     {"星沙区块链产业园": {"event": None, "enterprises": 126}}, []),
    ("years since the opening are no event", "合肥园区发展",
     "合肥的滨湖链创产业园开园三年入驻企业超过70家。", "2026-08-20",
     {"滨湖链创产业园": {"event": None}}, []),
    ("a fund the park sets up is no event of the park", "松山湖区块链产业园设立2亿元产业子基金",
     "11月22日，松山湖区块链产业园设立2亿元产业子基金。", "2026-11-23",
     {"松山湖区块链产业园": {"event": None}}, []),
    ("an event word before the name, over a clause", "成华基金",
     "基金由成都市成华区国资公司出资设立，重点投向成华区块链产业园入驻企业。", "2026-11-23",
     {"成华区块链产业园": {"event": None}}, []),
    ("the headline's event is the park's before 与", "光谷“数通链谷”揭牌 与武汉区块链产业园南北联动",
     "4月23日，东湖高新区“数通链谷”区块链产业园在光谷软件园揭牌。", "2026-04-24",
     {"武汉区块链产业园": {"event": None}}, []),
    ("a signing whose next clause says what it builds", "南沙区块链创新产业园签约",
     "2月16日，南沙区人民政府与港链控股有限公司签署合作协议，共建南沙粤港澳区块链创新产业园。", "2023-02-17",
     {"南沙粤港澳区块链创新产业园": {"event": "签约", "event_date": "2023-02-16"}}, []),
    # bug: a signing whose next clause says where it builds the park gave no event
    ("a signing, then what the two sides build", "神农架签约共建区块链生态产业园",
     "8月7日，神农架林区人民政府与湖北链森科技有限公司签约，双方将在松柏镇共建神农架林区区块链生态产业园。", "2024-08-08",
     {"神农架林区区块链生态产业园": {"event": "签约", "event_date": "2024-08-07"}}, []),
    # bugs: list entries with a bracket or a second column were no list entries; the signature
    # before an attachment was not found
    ("entries of a list with a bracket, dated by the signature", "关于公布2022年度江西省区块链产业示范基地名单的通知",
     "认定以下2家单位为示范基地，现予以公布：\n一、南昌高新区区块链产业基地（申报单位：南昌高新区管委会）\n"
     "二、赣州经开区区块链产业园（申报单位：赣州经开区管委会）\n江西省工业和信息化厅\n2022年12月6日", "2022-12-08",
     {"南昌高新区区块链产业基地": {"event": "入选", "event_date": "2022-12-06"},
      "赣州经开区区块链产业园": {"event": "入选", "event_date": "2022-12-06"}}, []),
    ("entries of a table after the letter", "关于公布2024年度河南省数字经济特色园区名单的通知",
     "认定郑州金水区块链产业园等2家园区为特色园区，现予公布。\n河南省工业和信息化厅\n2024年12月10日\n附件\n"
     "序号 园区名称 申报单位\n1 郑州金水区块链产业园 金水区人民政府\n2 洛阳区块链产业园 洛龙区人民政府", "2024-12-18",
     {"洛阳区块链产业园": {"event": "入选", "event_date": "2024-12-10"}}, []),
    # bug: firms a platform of the park served (累计服务) replaced the park's own count
    ("firms served are not firms settled", "武清区块链产业园集聚企业236家",
     "截至7月底，天津武清区块链产业园已集聚企业236家。园区企业参与建设的物流数据平台累计服务物流企业3000余家。", "2026-08-01",
     {"天津武清区块链产业园": {"enterprises": 236}}, []),
    # bug: a zone named as the builder or the location took the park's figures with it
    ("the builder's or the host's name is no other park", "平潭区块链产业园开园",
     "平潭两岸区块链产业园由平潭综合实验区管委会规划建设，位于金井湾片区，载体面积2.4万平方米，首批入驻企业31家。",
     "2024-06-19", {"平潭两岸区块链产业园": {"area_m2": 24000, "enterprises": 31}}, []),
    # bug: a quoted name in brackets right after the park's was another park, with the figures
    ("a bracketed quoted name is the same park", "“喀什链城”开园",
     "1月9日，喀什区块链产业园（“喀什链城”）开园运营。“喀什链城”总用地面积300亩，已有35家企业完成入驻。",
     "2026-01-10", {"喀什区块链产业园": {"event": "开园", "area_m2": 200000, "enterprises": 35}}, []),
    # bug: the park's full name given in the next sentence (全称…) was another park
    ("the full name given later is the same park", "平潭“链岛”开园",
     "18日，平潭“链岛”区块链产业园开园。该园区全称平潭两岸区块链产业园，载体面积2.4万平方米，首批31家企业入驻。",
     "2024-06-20", {"平潭“链岛”区块链产业园": {"area_m2": 24000, "enterprises": 31},
                    "平潭两岸区块链产业园": {"area_m2": 24000}}, []),
    ("a retrospective event keeps its own year", "回望：长沙区块链产业园三年",
     "2019年5月，马栏山区块链产业园揭牌。如今园区已入驻企业76家。", "2022-05-10",
     {"马栏山区块链产业园": {"event": "揭牌", "event_date": "2019-05-01", "event_precision": "month", "enterprises": 76}}, []),
    # bug: after a sentence listing four parks, the next sentences' figures went to the last listed
    ("a list of parks leaves no topic", "湘赣两省签署区块链产业协同发展合作框架协议",
     "两省将以长沙经开区区块链产业园、株洲数字经济链谷和南昌高新区区块链产业园、赣州区块链金融产业沙盒园为重点载体。"
     "双方将规划建设“湘赣边数字经济走廊”，首期规划面积约 1.8 平方公里。"
     "两省将联合发起设立湘赣边区块链产业协同发展基金，基金总规模 6 亿元。", "2026-11-06",
     {"赣州区块链金融产业沙盒园": {"area_m2": None, "fund_yuan": None},
      "长沙经开区区块链产业园": {"area_m2": None}}, []),
    # bug: 均 (each) gave the figure to the last park of the list only
    ("a figure of each park of a list", "三园发展",
     "长沙区块链产业园、星沙区块链产业园、娄底市区块链产业园入驻企业均超过 60 家。", "2026-01-01",
     {"长沙区块链产业园": {"enterprises": 60}, "星沙区块链产业园": {"enterprises": 60},
      "娄底市区块链产业园": {"enterprises": 60}}, []),
    # bug: the bound (突破100家) was kept although the sentence then gives the exact count
    ("an exact count after a bound", "赣州区块链金融产业沙盒园企业破百",
     "赣州区块链金融产业沙盒园入驻企业已突破 100 家，达到 103 家。", "2026-10-16",
     {"赣州区块链金融产业沙盒园": {"enterprises": 103}}, []),
    ("a park placed by an earlier sentence", "数链港开园",
     "贵州省贵阳市观山湖区今天迎来新的产业载体。“数链港”区块链产业园正式开园，入驻企业18家。", "2026-02-01",
     {"“数链港”区块链产业园": {"province": "贵州", "city": "贵阳", "enterprises": 18}}, []),
    ("a generic phrase is no park", "我市将建设区块链产业园", "我市将加快建设区块链产业园，打造区块链产业集聚区。",
     "2026-01-01", {}, ["区块链产业园", "区块链产业集聚区"]),
    ("a designation given to a named park is no second park", "上海市北区块链生态谷挂牌",
     "上海市北区块链生态谷挂牌“上海市区块链特色产业园”。", "2026-01-01",
     {"上海市北区块链生态谷": {"province": "上海"}}, ["上海市区块链特色产业园"]),
    ("figures given respectively", "三园成绩单",
     "章贡区区块链产业园、赣州区块链金融产业沙盒园和南康区块链家居产业园三个园区分别入驻企业58家、64家和23家，"
     "建筑面积分别为3.8万平方米、2.5万平方米和1.6万平方米。", "2026-07-12",
     {"章贡区区块链产业园": {"enterprises": 58, "area_m2": 38000}, "赣州区块链金融产业沙盒园": {"enterprises": 64},
      "南康区块链家居产业园": {"enterprises": 23, "area_m2": 16000}}, []),
    ("the former and the latter", "潍坊两园入选",
     "潍坊高新区区块链产业园和寿光市区块链蔬菜产业园入选。两家园区各具特色：前者已入驻企业42家；后者入驻企业30余家。",
     "2026-01-01", {"潍坊高新区区块链产业园": {"enterprises": 42}, "寿光市区块链蔬菜产业园": {"enterprises": 30}}, []),
    ("a short name defined in brackets", "海西链园启用",
     "福州高新区海西区块链创新产业园（以下简称“海西链园”）正式启用。目前，海西链园已入驻企业37家。", "2026-03-26",
     {"福州高新区海西区块链创新产业园": {"enterprises": 37}}, []),
    ("a count of parks is no park", "赣州三大区块链园区上半年成绩单出炉", "记者近日走访区内多个区块链园区。", "2026-01-01",
     {}, ["赣州三大区块链园区", "多个区块链园区"]),
    ("a province's parks are no park", "广东省区块链产业园区发展报告", "广东省区块链产业园区共集聚企业800家。",
     "2026-01-01", {}, ["广东省区块链产业园区"]),
    ("enterprises counted in 户, areas in 公顷", "南平区块链产业园累计入驻企业87户",
     "南平区块链产业园占地3.5公顷，累计入驻企业87户。去年全区新增市场主体1.2万户。", "2026-01-01",
     {"南平区块链产业园": {"enterprises": 87, "area_m2": 35000}}, []),
    ("the count as it stands beats an earlier one", "芜湖区块链产业园开园一年",
     "2022年底，芜湖区块链产业园建成开园，开园时入驻企业32家。园区负责人介绍，目前入驻企业已达64家。", "2024-03-01",
     {"芜湖区块链产业园": {"enterprises": 64}}, []),
    ("a place saying where the park is, not what is counted", "鹰潭区块链产业园入驻企业突破百家",
     "截至10月底，位于月湖区的园区入驻企业达到103家。", "2026-11-01", {"鹰潭区块链产业园": {"enterprises": 103}}, []),
    ("letters and digits in a name", "天府新区Web3.0区块链产业园开园", "天府新区Web3.0区块链产业园今日开园。",
     "2026-01-01", {"天府新区Web3.0区块链产业园": {"province": "四川"}}, []),
    ("two parks joined by 与", "西宁两园签约", "西宁区块链产业园与生物科技产业园区签署合作协议。", "2026-01-01",
     {"西宁区块链产业园": {"province": "青海"}}, ["西宁区块链产业园与生物科技产业园区"]),
    # bug: the first words of a fund manager's and an investment company's names were parks
    ("an organisation named like a park is no park", "区块链产业投资基金设立",
     "基金由杭州链湾私募基金管理有限公司管理，辽宁链城创业投资有限公司参与出资，投向钱塘区块链产业园内企业。", "2026-01-01",
     {"钱塘区块链产业园": {}}, ["杭州链湾", "辽宁链城"]),
    ("a company's research centre is no park", "中电链信集团区块链技术研究中心揭牌", "中电链信集团区块链技术研究中心在成都揭牌。",
     "2026-01-01", {}, ["中电链信集团区块链技术研究中心"]),
    ("related links are not the article", "某区召开安全生产会议",
     "会议部署了安全生产工作。\n相关阅读\n雄安区块链产业园开园", "2026-01-01", {}, ["雄安区块链产业园"]),
]

FIELDS = ("area_m2", "enterprises", "fund_yuan")


def _by_name(mentions):
    """The parks of the document (its mentions grouped as the resolver groups them), under each
    of their names."""
    out = {}
    for g in group(mentions):
        e = entity(g)
        for m in g:
            out.setdefault(m.text, e)
    return out


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_park_mentions(case):
    _, title, body, published, expected, absent = case
    found = _by_name(park_mentions(title, body, published=published))
    text = document_text(title, body)
    for name, fields in expected.items():
        assert name in found, f"{name} not found among {sorted(found)}"
        m = found[name]
        assert all(text[x.start:x.end] == x.text for x in m.mentions)   # spans are exact
        facts = {f.field: f for f in m.facts}
        for k, want in fields.items():
            if k in FIELDS:
                got = facts.get(k)
                assert (got.value if got else None) == want, f"{name} {k}: {got}"
                if got:
                    assert text[got.start:got.end] == got.raw
            else:
                assert getattr(m, k) == want, f"{name} {k}"
    for name in absent:
        assert name not in found


@pytest.mark.parametrize("title, body", [("", ""), (None, None), ("区块链", "链"), ("园", "\x00\x1b[2J")])
def test_nothing_from_nothing(title, body):
    assert park_mentions(title, body) == []
