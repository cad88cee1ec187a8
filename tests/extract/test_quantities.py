"""The extraction layer's contract: spans, types, safety on any input."""
import datetime as dt
import importlib
import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.app.main import cli
from pipeline.extract.dates import find_dates
from pipeline.extract.measures import find_measures
from pipeline.extract.quantities import as_date, find_quantities, parse_area, parse_count, parse_date, parse_money
from pipeline.text.normalize import normalize


@pytest.mark.parametrize("text", ["2018 年 9 月", "１２万㎡", "發佈時間：2021年5月6日", "a\u3000b  12 万 平米", ""])
def test_normalized_spans_map_back_to_the_original(text):
    n = normalize(text)
    assert len(n.starts) == len(n.text)
    for i in range(len(n.text)):
        a, b = n.span(i, i + 1)
        assert 0 <= a < b <= len(text)


def test_results_keep_raw_text_and_original_span():
    text = "截至 ２０２０ 年 １２ 月，园区规模达 １２ 万平米，入驻企业 ６０ 余家。"
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text


def test_parse_functions_return_typed_values():
    d = parse_date("二〇二〇年六月十三日")
    assert (d.value, d.precision, d.unit) == ("2020-06-13", "day", "date")
    a = parse_area("一期规划面积 3000 亩")
    assert (a.value, a.unit, a.label) == (2_000_000, "m2", "一期")
    m = parse_money("50 亿（首期 10 亿）")
    assert (m.value, m.tranche, m.unit) == (5_000_000_000, 1_000_000_000, "CNY")
    assert isinstance(m.value, int)
    c = parse_count("60 余家")
    assert (c.value, c.low, c.high, c.qualifier) == (60, 60, None, "at_least")


def test_relative_dates_need_a_publication_date():
    assert parse_date("近日") is None
    assert parse_date("6 月 3 日") is None
    q = parse_date("近日", published=dt.date(2020, 11, 25))
    assert q.qualifier == "approx" and q.high == "2020-11-25"
    assert parse_date("去年11月", published="2020-11-25").value == "2019-11-01"


def test_month_day_rolls_back_a_year_when_it_would_be_in_the_future():
    assert parse_date("12 月 20 日", published="2021-01-05").value == "2020-12-20"


@pytest.mark.parametrize("text", ["2000 亿", "5G", "28.52", "30%", "赣府厅发〔2020〕8号", "一批企业"])
def test_ambiguous_input_gives_no_wrong_answer(text):
    kinds = {q.kind for q in find_quantities(text, published="2020-11-25")}
    if text == "2000 亿":
        assert kinds == {"money"}
    else:
        assert "date" not in kinds and "money" not in kinds and "count" not in kinds


# text built from the pieces the grammar reacts to, to reach its corners
_PIECES = ["2020", "年", "月", "日", "1", "12", "31", "0", ".", "-", "—", "至", "到", "~", "/", ":", " ", "，", "(", ")",
           "（", "）", "〔", "〕", "万", "亿", "千", "百", "十", "元", "美元", "平方公里", "平米", "亩", "㎡", "km²",
           "家", "个", "余", "多", "以上", "最高", "约", "近", "首期", "每年", "今年", "去年", "近日", "上半年", "年初",
           "中旬", "一", "二", "〇", "O", "两", "数十", "上百", ">", "%", "号", "第", "期限", "内", "未来", "年内",
           "發佈", "億", "\u3000", "\n", "５", "ｍ", "区块链产业园"]


def _grammar(text: str, published) -> list:
    """The grammars themselves, not find_quantities (whose safety net would hide a bug)."""
    n = normalize(text)
    return find_dates(n, published=as_date(published)) + find_measures(n)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join),
       st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))))
def test_never_raises_and_results_are_consistent_on_adversarial_text(text, published):
    for q in _grammar(text, published):
        assert text[q.start:q.end] == q.text
        assert q.kind in ("date", "area", "money", "count")
        assert q.qualifier in ("exact", "approx", "at_least", "at_most", "range", "duration")
        if q.kind != "date" and q.low is not None and q.high is not None:
            assert q.low <= q.high
        if q.kind == "date" and q.qualifier != "duration":
            assert q.low <= q.high
            if q.value is not None:
                assert q.low <= q.value <= q.high
        json.dumps(q.to_dict())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_arbitrary_unicode(text):
    for q in _grammar(text, "2020-11-25"):
        assert text[q.start:q.end] == q.text


@pytest.mark.parametrize("target", ["pipeline.extract.dates.candidates", "pipeline.extract.measures._pattern"])
def test_the_property_tests_fail_when_the_grammar_raises(monkeypatch, target):
    """A test of the tests: with a grammar that always raises, both properties fail."""
    module, name = target.rsplit(".", 1)

    def boom(*a, **k):
        raise RuntimeError("grammar bug")

    monkeypatch.setattr(importlib.import_module(module), name, boom)
    with pytest.raises(RuntimeError, match="grammar bug"):
        test_never_raises_and_results_are_consistent_on_adversarial_text()
    with pytest.raises(RuntimeError, match="grammar bug"):
        test_never_raises_on_arbitrary_unicode()
    # … while find_quantities keeps its promise and answers nothing
    assert find_quantities("2020年6月 12 万平方米") == []


def test_cli_parse_json():
    res = CliRunner().invoke(cli, ["parse", "50 亿（首期 10 亿）", "--format", "json"])
    assert res.exit_code == 0, res.output
    (q,) = json.loads(res.output)
    assert q["kind"] == "money" and q["value"] == 5_000_000_000 and q["tranche"] == 1_000_000_000
    for key in ("text", "start", "end", "low", "high", "unit", "qualifier"):
        assert key in q


def test_cli_parse_reads_stdin_and_rejects_a_bad_date():
    runner = CliRunner()
    res = runner.invoke(cli, ["parse", "-", "--format", "json", "--published", "2020-11-25"], input="今年6月开园")
    assert json.loads(res.output)[0]["value"] == "2020-06-01"
    res = runner.invoke(cli, ["parse", "今年6月", "--published", "25/11/2020"])
    assert res.exit_code == 2 and "not a date like" in res.output and "Traceback" not in res.output


@pytest.mark.parametrize("text, value", [("一点五", "3/2"), ("三点二五", "13/4"), ("零点五", "1/2"), ("十二点五", "25/2"),
                                         ("1亿2000万", "120000000"), ("3万5千", "35000")])
def test_decimal_and_mixed_numerals(text, value):
    from fractions import Fraction

    from pipeline.text.numerals import parse_number
    assert parse_number(text) == Fraction(value)


@pytest.mark.parametrize("text", ["一点", "点五", "二〇点五", "一点五点五", "1亿20000万", "3万5"])
def test_unreadable_numerals_are_none(text):
    from pipeline.text.numerals import parse_number
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["第十四个五年规划", "十四五个项目", "三分之一家", "每户补贴3万5", "“十百千亿工程”",
                                  "3万5平方米", "500万2019年"])
def test_a_numeral_run_read_in_part_gives_no_measure(text):
    assert [q for q in find_quantities(text) if q.kind != "date"] == []


def test_chinese_decimals_are_read_whole():
    assert parse_money("一点五亿元").value == 150_000_000
    assert parse_area("一点二平方公里").value == 1_200_000


def test_jiaju_is_furniture_unless_a_verb_follows():
    assert parse_count("培育3~5家具有国际竞争力的企业").low == 3
    assert parse_count("引进10家具备核心技术的企业").value == 10
    assert parse_count("8090家具有限公司") is None
    assert parse_count("3家具城") is None


def test_short_money_verbs():
    m = parse_money("最高补1000万")
    assert (m.value, m.low, m.high, m.qualifier) == (10_000_000, None, 10_000_000, "at_most")
    assert parse_money("奖50万").value == 500_000
    assert parse_money("累计投票5万") is None and parse_money("可填补5万缺口") is None


def test_plan_periods_comparisons_and_recent_years():
    d = parse_date("“十四五”期间")
    assert (d.value, d.low, d.high, d.qualifier, d.precision) == (None, "2021-01-01", "2025-12-31", "range", "year")
    assert parse_date("十三五时期").low == "2016-01-01" and parse_date("十五五").high == "2030-12-31"
    assert parse_date("到“十四五”末") is None and parse_date("十四五个") is None
    assert parse_date("较去年同期增长", published="2024-05-01") is None
    assert parse_date("近三年", published="2024-05-01").value == "P3Y"
    assert parse_date("6个月后") is None and parse_date("为期6个月").value == "P6M"
