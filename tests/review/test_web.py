"""The review page in-process (Flask's test client): what it shows, that each decision changes the
store exactly as the CLI does, CSRF, escaping of crawled text, links, the token, the headers."""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from db import review as review_store
from db.store import open_db
from pipeline.app.main import cli
from pipeline.review import decisions, web
from pipeline.review.items import ReviewError, queue

from .conftest import candidate_named

TIMES = {"created_at", "updated_at", "reviewed_at", "at", "first_seen", "last_seen", "undone_at", "before"}
TABLES = ("parks", "park_aliases", "candidates", "candidate_aliases", "facts", "mentions", "decisions")


def snapshot(path) -> dict:
    """Every row a decision may change, without its timestamps."""
    db = open_db(path, create=False)
    try:
        return {t: [{k: v for k, v in dict(r).items() if k not in TIMES}
                    for r in db.query(f"SELECT * FROM {t} ORDER BY rowid")] for t in TABLES}
    finally:
        db.close()


def csrf_of(client, path="/") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def post(client, path, **form):
    return client.post(path, data={"csrf_token": csrf_of(client), **form})


@pytest.fixture
def app(review_path):
    return web.create_app(review_path, reviewer="ana")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def twin(_review_file, tmp_path):
    """A second copy of the store, for the CLI to decide on."""
    path = tmp_path / "twin.db"
    shutil.copy(_review_file, path)
    return path


# -- what the page shows ------------------------------------------------------------------------
def test_the_queue_page_lists_every_item_in_queue_order(client, review_db):
    html = client.get("/").get_data(as_text=True)
    ids = [i["id"] for i in queue(review_db)]
    assert len(ids) >= 4
    where = [html.index(f'id="{i}"') for i in ids]
    assert where == sorted(where)
    assert f"{len(ids)} waiting" in html
    for key in ("<kbd>a</kbd> accept", "<kbd>m</kbd> merge", "<kbd>r</kbd> reject", "<kbd>s</kbd> skip",
                "<kbd>u</kbd> undo"):
        assert key in html


def test_the_card_shows_highlighted_evidence_features_and_nearest_parks(client, review_db):
    cid = candidate_named(review_db, "江城链谷")
    html = client.get(f"/?item={cid}").get_data(as_text=True)
    assert f'class="card" data-item="{cid}"' in html
    assert "<mark>芜湖江城链谷区块链产业园</mark>正式开园" in html
    assert '<a href="https://news.example.cn/a/1.html" rel="noopener noreferrer" target="_blank">' in html
    assert "Resolver's score per feature" in html and "<th>method</th>" in html
    assert 'name="into_pick" value="p0' in html and 'class="differs"' in html


def test_highlight_segments_cover_the_text_once():
    assert web.segments("abcdef", [[1, 3], [2, 4], [5, 99]]) == [("a", False), ("bc", True), ("d", True),
                                                                ("e", False), ("f", True)]
    assert web.segments("abc", []) == [("abc", False)]
    assert "".join(p for p, _ in web.segments("湖南星沙区块链产业园", [[2, 10]])) == "湖南星沙区块链产业园"


def test_a_fact_card_shows_the_known_values(client, review_db):
    fid = next(i["id"] for i in queue(review_db) if i["kind"] == "fact")
    html = client.get(f"/?item={fid}").get_data(as_text=True)
    assert "Known values of enterprises" in html and "<mark>156家</mark>" in html
    assert 'data-key="m"' not in html                  # a value is accepted or rejected, never merged


def test_pages_of_cards(client, review_db, monkeypatch):
    monkeypatch.setattr(web, "PAGE_SIZE", 2)
    ids = [i["id"] for i in queue(review_db)]
    first = client.get("/").get_data(as_text=True)
    assert f'id="{ids[0]}"' in first and f'id="{ids[2]}"' not in first and "page 1 of 2" in first
    second = client.get(f"/?item={ids[3]}").get_data(as_text=True)
    assert f'id="{ids[3]}" class="item current"' in second and f'id="{ids[0]}"' not in second


# -- decisions: the same rows as the CLI's ----------------------------------------------------------
def _cli(path, *args):
    res = CliRunner().invoke(cli, ["--db", str(path), "review", *args, "--reviewer", "ana"])
    assert res.exit_code == 0, res.output


def test_accept_merge_reject_change_the_store_as_the_cli_does(client, review_db, review_path, twin):
    c_jc, c_hy, f_xs = candidate_named(review_db, "江城链谷"), candidate_named(review_db, "衡阳"), \
        next(i["id"] for i in queue(review_db) if i["kind"] == "fact")
    c_yc = candidate_named(review_db, "宜昌")
    for resp in (post(client, f"/items/{c_jc}/accept"), post(client, f"/items/{c_yc}/merge", into_pick="p020"),
                 post(client, f"/items/{c_hy}/reject", reason="a conference"), post(client, f"/items/{f_xs}/accept")):
        assert resp.status_code == 302
    _cli(twin, "accept", c_jc)
    _cli(twin, "merge", c_yc, "--into", "p020")
    _cli(twin, "reject", c_hy, "--reason", "a conference")
    _cli(twin, "accept", f_xs)
    assert snapshot(review_path) == snapshot(twin)
    assert review_store.candidate(review_db, int(c_yc[1:]))["park_id"] == "p020"


def test_a_typed_park_id_wins_over_the_chosen_one(client, review_db):
    cid = candidate_named(review_db, "宜昌")
    post(client, f"/items/{cid}/merge", into_pick="p019", into=" p021 ")
    assert review_store.candidate(review_db, int(cid[1:]))["park_id"] == "p021"


def test_edit_changes_the_store_as_the_cli_does(client, review_db, review_path, twin):
    cid = candidate_named(review_db, "宜昌")
    assert 'value="湖北"' in client.get(f"/items/{cid}/edit").get_data(as_text=True)
    resp = post(client, f"/items/{cid}/edit", name="宜昌三峡链谷区块链产业园", province="湖北", city="宜昌")
    assert resp.status_code == 302
    _cli(twin, "edit", cid, "--name", "宜昌三峡链谷区块链产业园")   # only what changed
    assert snapshot(review_path) == snapshot(twin)


def test_a_decision_goes_on_to_the_next_card(client, review_db):
    ids = [i["id"] for i in queue(review_db)]
    resp = post(client, f"/items/{ids[1]}/accept", next=ids[2])
    assert resp.headers["Location"] == f"/?item={ids[2]}"
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert f"decision 1: accept {ids[1]}" in page and f'id="{ids[1]}"' not in page


def test_a_refused_decision_is_one_line_and_changes_nothing(client, review_db, review_path):
    cid = candidate_named(review_db, "江城链谷")
    before = snapshot(review_path)
    page = client.get(post(client, f"/items/{cid}/merge").headers["Location"]).get_data(as_text=True)
    assert "choose a nearest park" in page
    page = client.get(post(client, f"/items/{cid}/merge", into="p999").headers["Location"]).get_data(as_text=True)
    assert "no park &#39;p999&#39; to merge into" in page
    assert snapshot(review_path) == before
    post(client, f"/items/{cid}/accept")
    page = client.get(post(client, f"/items/{cid}/accept").headers["Location"]).get_data(as_text=True)
    assert f"{cid} is already accepted" in page


def test_undo_of_the_session_puts_every_row_back(client, review_db, review_path):
    before = snapshot(review_path)
    cid, other = candidate_named(review_db, "江城链谷"), candidate_named(review_db, "衡阳")
    post(client, f"/items/{cid}/accept")
    post(client, f"/items/{other}/reject")
    resp = post(client, "/undo")
    assert resp.headers["Location"] == f"/?item={other}"           # the undone card comes back
    post(client, "/undo")
    after = snapshot(review_path)
    assert {t: after[t] for t in TABLES if t != "decisions"} == {t: before[t] for t in TABLES if t != "decisions"}
    assert [d["action"] for d in after["decisions"]] == ["accept", "reject", "undo", "undo"]
    page = client.get(post(client, "/undo").headers["Location"]).get_data(as_text=True)
    assert "nothing of this session to undo" in page


def test_u_undoes_only_this_browser_sessions_decisions(app, review_db):
    mine, theirs = app.test_client(), app.test_client()
    cid, other = candidate_named(review_db, "江城链谷"), candidate_named(review_db, "衡阳")
    post(mine, f"/items/{cid}/accept")
    post(theirs, f"/items/{other}/reject")
    post(mine, "/undo")
    assert review_store.candidate(review_db, int(cid[1:]))["status"] == "new"
    assert review_store.candidate(review_db, int(other[1:]))["status"] == "rejected"


def test_the_decisions_page_undoes_any_decision(client, review_db):
    cid = candidate_named(review_db, "江城链谷")
    made = decisions.accept(review_db, cid, reviewer="someone else")
    html = client.get("/decisions").get_data(as_text=True)
    assert f'action="/decisions/{made["decision"]}/undo"' in html and "someone else" in html
    resp = client.post(f"/decisions/{made['decision']}/undo", data={"csrf_token": csrf_of(client, "/decisions")})
    assert resp.status_code == 302
    assert review_store.candidate(review_db, int(cid[1:]))["status"] == "new"
    undo = review_store.decisions(review_db, limit=1)[0]
    assert (undo["action"], undo["undo_of"], undo["reviewer"]) == ("undo", made["decision"], "ana")
    html = client.get("/decisions").get_data(as_text=True)
    assert f'action="/decisions/{made["decision"]}/undo"' not in html and "undone" in html
    with pytest.raises(ReviewError):                # the same refusal as decisions.undo's
        decisions.undo(review_db, made["decision"], reviewer="ana")


def test_the_reviewer_is_the_argument_else_the_name_entered_else_the_login(review_path, review_db, monkeypatch):
    monkeypatch.setattr(web.getpass, "getuser", lambda: "login-name")
    app = web.create_app(review_path)
    a, b = app.test_client(), app.test_client()
    c1, c2 = candidate_named(review_db, "江城链谷"), candidate_named(review_db, "衡阳")
    post(a, "/reviewer", name="李分析")
    post(a, f"/items/{c1}/accept")
    post(b, f"/items/{c2}/reject")
    assert [d["reviewer"] for d in review_store.decisions(review_db)] == ["login-name", "李分析"]


# -- safety -----------------------------------------------------------------------------------------
def test_a_post_without_the_csrf_token_is_refused(client, review_db, review_path):
    cid = candidate_named(review_db, "江城链谷")
    before = snapshot(review_path)
    for path in (f"/items/{cid}/accept", "/undo", f"/items/{cid}/edit", "/decisions/1/undo", "/reviewer"):
        assert client.post(path, data={"name": "x"}).status_code == 400, path
    assert client.post(f"/items/{cid}/accept", data={"csrf_token": "forged"}).status_code == 400
    assert snapshot(review_path) == before


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict]]:
    p = _Tags()
    p.feed(html)
    return p.tags


def test_crawled_markup_is_shown_as_text(client, review_db):
    cid = candidate_named(review_db, "衡阳")
    decisions.edit(review_db, candidate_named(review_db, "宜昌"), reviewer="t",
                   fields={"name": '<img src=x onerror="window.__pwned=4">宜昌'})
    html = client.get(f"/?item={cid}").get_data(as_text=True)
    assert "<script>window.__pwned" not in html and '"onmouseover=' not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;" in html
    assert "&#34;onmouseover=&#34;window.__pwned=2&#34;" in html and "&lt;img src=x onerror=" in html
    tags = _tags(html)
    assert [a for t, a in tags if t == "script"] == [{"src": "/static/review.js", "defer": None}]
    assert not [a for _, a in tags if any(k.startswith("on") for k in a)]
    assert not [t for t, _ in tags if t == "img"]


def test_a_javascript_url_is_never_a_link(client, review_db):
    cid = candidate_named(review_db, "衡阳")
    review_db.execute("UPDATE documents SET url = 'javascript:window.__pwned=3' WHERE url LIKE 'https://evil.%'")
    html = client.get(f"/?item={cid}").get_data(as_text=True)
    assert "javascript:window.__pwned=3" in html                   # shown, as text
    assert not [a for t, a in _tags(html) if t == "a" and "javascript" in (a.get("href") or "").lower()]
    for url in ("javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,x", "//evil.cn/",
                "http:javascript:alert(1)", "vbscript:x", None):
        assert web.link(url) is None, url
    assert web.link("https://gov.example.cn/a.html") == "https://gov.example.cn/a.html"


def test_security_headers(client):
    resp = client.get("/")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff" and resp.headers["Cache-Control"] == "no-store"
    assert client.get("/static/review.js").headers["Content-Security-Policy"] == csp


# -- access ---------------------------------------------------------------------------------------
def test_a_token_is_required_when_configured(review_path):
    app = web.create_app(review_path, token="s3cret-token")
    c = app.test_client()
    assert c.get("/").status_code == 403
    assert c.get("/static/review.js").status_code == 403
    assert c.get("/?token=wrong").status_code == 403
    assert c.post("/undo").status_code == 403                        # 403 before CSRF's 400
    resp = c.get("/?token=s3cret-token&item=c1")
    assert resp.status_code == 302 and resp.headers["Location"] == "/?item=c1"   # the token leaves the URL
    assert c.get("/").status_code == 200                             # the session cookie carries it
    bearer = app.test_client()
    assert bearer.get("/", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    assert bearer.get("/", headers={"Authorization": "Bearer nope"}).status_code == 403
    assert app.test_client().get("/", base_url="http://parkwatch.example.org").status_code == 403


def test_without_a_token_only_loopback_host_names_are_answered(client):
    assert client.get("/", base_url="http://127.0.0.1:8765").status_code == 200
    assert client.get("/", base_url="http://[::1]:8765").status_code == 200
    assert client.get("/", base_url="http://rebound.example.com:8765").status_code == 400


def test_binding_beyond_loopback_needs_a_token():
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        web.check_binding(host, None)
    web.check_binding("0.0.0.0", "t")
    for host in ("0.0.0.0", "192.168.1.5", "::", "example.org"):
        with pytest.raises(ReviewError, match="--token"):
            web.check_binding(host, None)


def test_serve_refuses_mistakes_in_one_line(review_path, tmp_path, monkeypatch):
    monkeypatch.delenv("PARKWATCH_TOKEN", raising=False)
    res = CliRunner().invoke(cli, ["--db", str(review_path), "serve", "--host", "0.0.0.0"])
    assert res.exit_code == 1 and res.output.count("\n") == 1 and "--token" in res.output
    res = CliRunner().invoke(cli, ["--db", str(tmp_path / "none.db"), "serve"])
    assert res.exit_code == 1 and res.output.startswith("Error: no store at") and res.output.count("\n") == 1
    assert not (tmp_path / "none.db").exists()
