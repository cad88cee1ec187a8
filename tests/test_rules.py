"""The rule tables under pipeline/data/: unique keys, valid values, no alias collisions."""
from fractions import Fraction

from pipeline import rules


def test_units_unique_with_positive_factors():
    units = rules.table("units.csv")
    names = [u["unit"] for u in units]
    assert len(names) == len(set(names))
    for u in units:
        assert u["kind"] in ("area", "money", "count")
        assert Fraction(int(u["factor_num"]), int(u["factor_den"])) > 0
    mu = {u["unit"]: Fraction(int(u["factor_num"]), int(u["factor_den"])) for u in units}
    assert mu["亩"] == Fraction(2000, 3) and mu["平方公里"] == 10**6 and mu["公顷"] == 10**4


def test_numerals_and_qualifiers():
    nums = rules.keyed("numerals.csv", "char")
    assert int(nums["两"]["value"]) == 2 and int(nums["亿"]["value"]) == 10**8
    quals = rules.table("qualifiers.csv")
    assert len({(q["word"], q["position"]) for q in quals}) == len(quals)
    assert {q["qualifier"] for q in quals} <= {"exact", "approx", "at_least", "at_most"}


def test_periods_are_valid_calendar_bounds():
    for p in rules.table("periods.csv"):
        if p["scope"] == "year":
            assert 1 <= int(p["start_month"]) <= int(p["end_month"]) <= 12
        assert 1 <= int(p["start_day"]) <= 31 and 0 <= int(p["end_day"]) <= 31
    assert len(rules.keyed("periods.csv", "word")) == len(rules.table("periods.csv"))


def test_vague_numbers_have_sane_bounds():
    for v in rules.table("vague_numbers.csv"):
        assert v["qualifier"] in ("range", "at_least", "approx")
        if v["high"]:
            assert int(v["low"]) <= int(v["high"])


def test_gazetteer_keys_and_references():
    rows = rules.table("gazetteer.csv")
    keys = [(r["name"], r["level"], r["province"], r["city"]) for r in rows]
    assert len(keys) == len(set(keys))
    provinces = {r["name"] for r in rows if r["level"] == "province"}
    assert len(provinces) == 34
    districts = {(r["city"], r["name"]) for r in rows if r["level"] == "district"}
    for r in rows:
        assert r["level"] in ("province", "city", "district", "zone")
        assert r["province"] in provinces, r
        # a zone's host is a real county-level division of its city
        assert not r["host"] or (r["level"] == "zone" and (r["city"], r["host"]) in districts), r
    # a short form may not name two places of the same level in different provinces
    seen = {}
    for r in rows:
        if r["short"]:
            k = (r["short"], r["level"])
            assert seen.setdefault(k, r["province"]) == r["province"] or r["level"] == "district", r


def test_t2s_is_one_to_one_and_never_rewrites_simplified_text():
    rows = rules.table("t2s.csv")
    keys = [r["traditional"] for r in rows]
    assert len(keys) == len(set(keys))
    values = {r["simplified"] for r in rows}
    for r in rows:
        assert len(r["traditional"]) == 1 and len(r["simplified"]) == 1
        assert r["traditional"] != r["simplified"]
    assert not (set(keys) & values)


def test_park_suffixes_and_keywords():
    sufs = rules.table("park_suffixes.csv")
    assert len({s["suffix"] for s in sufs}) == len(sufs)
    assert all(1 <= int(s["weight"]) <= 3 for s in sufs)
    kw = rules.document("keywords.yaml")
    for key in ("blockchain", "park", "policy", "fund"):
        assert kw[key] and len(kw[key]) == len(set(kw[key]))


def test_date_and_money_words_load():
    w = rules.document("date_words.yaml")
    assert w["relative_years"]["去年"] == -1
    m = rules.document("money_words.yaml")
    assert set(m["per_year"]) and set(m["tranche"])


def test_census_aliases_do_not_collide(census_db):
    from pipeline.resolve.resolver import Park, Resolver
    r = Resolver()
    for p in census_db.query("SELECT id, province, city FROM parks"):
        r.add_park(Park(p["id"], p["province"], p["city"], []))
    for a in census_db.query("SELECT park_id, alias FROM park_aliases"):
        r.add_alias(a["park_id"], a["alias"])
    assert r.collisions() == {}


def test_every_rule_table_has_its_readme_section():
    """A rule file says where it came from: each has a `## name` section in pipeline/data/README.md
    (t2s_exclude.csv is described in the t2s.csv section)."""
    folder = rules.DATA
    readme = (folder / "README.md").read_text(encoding="utf-8")
    missing = [f.name for f in sorted(folder.iterdir()) if f.suffix in (".csv", ".yaml")
               and f"## {f.name}" not in readme and f"`{f.name}`" not in readme]
    assert missing == []
