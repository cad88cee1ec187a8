"""The README's main command: `parkwatch demo` runs the whole offline cycle."""
import sqlite3

from tests.conftest import parkwatch


def test_demo_end_to_end(tmp_path):
    db = tmp_path / "demo.db"
    out = parkwatch("--db", db, "demo", timeout=300).stdout
    assert "census: 44 parks, 23 government-led" in out
    con = sqlite3.connect(db)
    per_source = dict(con.execute("SELECT source, count(*) FROM documents GROUP BY source"))
    assert per_source["demo-gxt-trs"] == 33 and per_source["demo-fgw-hanweb"] == 40
    assert set(per_source) >= {"demo-chainnews", "demo-chainnews-rss", "demo-sitemap", "demo-gov-search",
                               "demo-broken"}
    status = dict(con.execute("SELECT slug, status FROM sources"))
    assert status["demo-challenge"] == "challenge-protected"
    # a second demo run finds nothing new: the mirror keeps its addresses, the crawl is incremental
    again = parkwatch("--db", db, "demo", timeout=300).stdout
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == sum(per_source.values())
    assert "census: 44 parks" in again
