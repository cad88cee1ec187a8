"""find_funds as tables of cases: text → expected fields, negatives, spans, safety."""
import csv
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract.funds import find_funds
from pipeline.extract.records import document_text

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "pipeline" / "evaluate" / "corpus" / "facts"
JIANGXI = Path(__file__).parents[1] / "realdata" / "jiangxi-policies-2020" / "policies.csv"

CASES = [
    ("named, park-linked",
     "余杭设立30亿元区块链产业母基金",
     "3月1日，杭州市余杭区区块链产业母基金正式揭牌。基金总规模30亿元（首期10亿元），由余杭区国有资本投资控股集团"
     "有限公司作为基金管理人出资设立，其中区级财政出资占比20%。\n母基金将重点投向余杭区块链产业园及未来科技城范围内的区块链企业。",
     {"name": "杭州市余杭区区块链产业母基金", "size": 3_000_000_000, "currency": "CNY", "tranche": 1_000_000_000,
      "sponsors": ["余杭区国有资本投资控股集团有限公司"], "government_share": 0.2, "region": "杭州",
      "park_text": "余杭区块链产业园"}),
    ("USD, subject sponsors",
     "万向区块链联合红杉资本发起设立1亿美元区块链创投基金",
     "近日，万向区块链实验室联合红杉资本发起设立万向区块链创投基金，基金规模1亿美元，主要投资全球区块链初创企业。",
     {"name": "万向区块链创投基金", "size": 100_000_000, "currency": "USD", "tranche": None,
      "sponsors": ["万向区块链实验室", "红杉资本"], "government_share": None, "park_text": None}),
    ("HKD, set-up place",
     "港深区块链创新基金成立 规模10亿港元",
     "9月11日，港深区块链创新基金在深圳福田举行成立仪式。基金规模10亿港元，由香港瀚链集团联合深圳市引导基金共同发起，"
     "其中深圳市引导基金认缴20%。",
     {"name": "港深区块链创新基金", "size": 1_000_000_000, "currency": "HKD", "region": "深圳",
      "sponsors": ["香港瀚链集团", "深圳市引导基金"], "government_share": 0.2}),
    ("unnamed, zero government share",
     "两家企业设立三千万元区块链产业基金",
     "日前，浙江链源科技有限公司与杭州启明星创业投资有限公司在嘉兴南湖基金小镇共同设立一支区块链产业投资基金，"
     "基金规模三千万元，全部由社会资本出资，不含政府引导资金。\n南湖基金小镇资金管理规模超过3万亿元。",
     {"name": None, "size": 30_000_000, "sponsors": ["浙江链源科技有限公司", "杭州启明星创业投资有限公司"],
      "government_share": 0.0, "region": "嘉兴", "park_text": None}),
    ("traditional characters",
     "廈門海滄設立10億元區塊鏈產業投資基金",
     "6月12日，海滄區區塊鏈產業投資基金簽約設立。基金總規模10億元，首期3億元，由海滄區產業投資引導基金與"
     "廈門鏈島資本管理有限公司共同發起。該基金是海滄“鏈島”區塊鏈產業園的配套產業基金。",
     {"name": "海滄區區塊鏈產業投資基金", "size": 1_000_000_000, "tranche": 300_000_000, "region": "厦门",
      "sponsors": ["海滄區產業投資引導基金", "廈門鏈島資本管理有限公司"], "park_text": "海滄“鏈島”區塊鏈產業園"}),
    ("quoted nickname takes its place",
     "苏州高铁新城“链谷”设立20亿元区块链产业基金",
     "5月10日，苏州高铁新城区块链产业发展基金签约仪式在相城区举行。基金总规模20亿元，首期5亿元。"
     "该基金将重点投向入驻“链谷”的区块链企业。据悉，相城区今年还将设立总规模100亿元的数字经济产业母基金。",
     {"name": "苏州高铁新城区块链产业发展基金", "size": 2_000_000_000, "tranche": 500_000_000,
      "region": "苏州", "park_text": "苏州高铁新城“链谷”"}),
    ("a blockchain park's fund",
     "星沙区块链产业园设立5亿元产业基金",
     "3月31日，星沙区块链产业园设立规模5亿元的产业基金，首期1亿元，由长沙县国资集团出资，重点投向园区企业。",
     {"name": None, "size": 500_000_000, "tranche": 100_000_000, "sponsors": ["长沙县国资集团"],
      "region": "长沙", "park_text": "星沙区块链产业园"}),
    # the tranche needs the money-grammar fix in measures.py: 一点五亿元 = 150,000,000
    ("Chinese decimal tranche",
     "西安高新区设立5亿元区块链产业引导基金",
     "11月7日，西安高新区区块链产业引导基金正式设立。基金规模5亿元，首期一点五亿元，由高新区财政出资和"
     "西安高新金融控股集团共同发起，高新区财政出资占比40%。基金将主要投向丝路链谷及高新区范围内的区块链企业。",
     {"size": 500_000_000, "tranche": 150_000_000, "sponsors": ["高新区财政", "西安高新金融控股集团"],
      "government_share": 0.4, "region": "西安", "park_text": "丝路链谷"}),
]


@pytest.mark.parametrize("case_id, title, body, expected", CASES, ids=[c[0] for c in CASES])
def test_fund_fields(case_id, title, body, expected):
    found = find_funds(title, body, published="2024-01-01")
    assert len(found) == 1, case_id
    assert {k: getattr(found[0], k) for k in expected} == expected


NEGATIVES = [
    ("metaverse fund", "10亿元元宇宙产业基金在沪设立",
     "上海某区联合多家投资机构发起设立元宇宙产业基金，基金总规模10亿元，兼顾Web3.0底层技术和区块链数字藏品合规平台。"),
    ("financing round", "区块链企业链融数科完成数亿元A轮融资", "本轮融资由某知名美元基金领投，多家产业资本跟投。"),
    ("special budget funds", "市财政安排区块链专项资金5000万元", "今年市财政安排区块链产业发展专项资金5000万元，支持区块链应用项目。"),
    ("fund town", "南湖基金小镇集聚基金3000家", "区块链企业入驻南湖基金小镇，小镇资金管理规模超2万亿元。"),
    ("policy encourages a fund", "关于推动区块链产业园区高质量发展的指导意见",
     "鼓励地方设立区块链产业引导基金，吸引社会资本参与园区建设。"),
    ("investment received", "区块链企业融资动态", "另一家企业获得区块链产业基金5000万元投资。"),
    ("another topic near a blockchain park", "某区设立数字经济产业基金",
     "某区块链产业园所在的某区设立规模10亿元的数字经济产业基金，投向区块链、人工智能等领域。"),
    ("sponsor's own fund only", "数字经济基金设立", "由海沧区产业投资引导基金出资10亿元设立数字经济产业基金，投向区块链等领域。"),
]


@pytest.mark.parametrize("case_id, title, body", NEGATIVES, ids=[n[0] for n in NEGATIVES])
def test_not_a_blockchain_fund(case_id, title, body):
    assert find_funds(title, body, published="2024-01-01") == []


def test_two_funds_in_one_article():
    body = ("3月1日，甲市区块链产业发展基金签约设立，基金总规模10亿元。\n"
            "同日，乙县区块链创新引导基金揭牌，基金规模2亿元。")
    found = find_funds("两支区块链基金同日设立", body, published="2024-03-02")
    assert [(f.name, f.size) for f in found] == [("甲市区块链产业发展基金", 1_000_000_000),
                                                  ("乙县区块链创新引导基金", 200_000_000)]


def test_no_fund_in_any_jiangxi_title():
    with JIANGXI.open(encoding="utf-8") as fh:
        titles = [row["title"] for row in csv.DictReader(fh)]
    assert len(titles) > 1000
    assert [t for t in titles if find_funds(t, "")] == []


def _assert_spans(title, body, found):
    text = document_text(title, body)
    for f in found:
        assert text[f.start:f.end] == f.raw
        assert f.name is None or f.name in text
        assert f.park_text is None or f.park_text in text
        assert all(s in text for s in f.sponsors)


@pytest.mark.parametrize("title, body", [(c[1], c[2]) for c in CASES])
def test_spans_are_exact(title, body):
    _assert_spans(title, body, find_funds(title, body, published="2024-01-01"))


def test_spans_are_exact_on_the_development_corpus():
    n = 0
    for path in sorted(CORPUS.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            found = find_funds(case["title"], case["body"], published=str(case["published"]))
            _assert_spans(case["title"], case["body"], found)
            n += len(found)
    assert n > 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="区块链产业基金由与和共同发起设立规模总首期亿万元美港%占比引导财政在投向园“”，。\n", max_size=120),
       st.text(max_size=40))
def test_never_raises_and_spans_hold(body, title):
    _assert_spans(title, body, find_funds(title, body, published="2022-01-01"))


@pytest.mark.parametrize("title, body", [(None, None), ("", ""), (None, "区块链基金"), ("基金", "")])
def test_empty_input(title, body):
    assert find_funds(title, body) == []
