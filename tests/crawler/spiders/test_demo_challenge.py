"""demo-challenge: a whole site behind a 412 JavaScript cookie challenge — recorded, not bypassed."""
import json

from tests.conftest import crawl, parkwatch

SLUG = "demo-challenge"


def test_challenge_is_a_source_status(crawl_env):
    db, src = crawl_env
    out = crawl(db, src, SLUG, check=False)
    assert out["returncode"] == 3 and out["status"] == "failed"     # cron sees it
    fig = out["by_source"][SLUG]
    assert fig["status"] == "challenge-protected" and fig["new"] == 0
    listing = json.loads(parkwatch("--db", db, "sources", "list", "--sources", src, "--format", "json").stdout)
    row = next(r for r in listing if r["slug"] == SLUG)
    assert row["status"] == "challenge-protected"
