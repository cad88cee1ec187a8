"""The review page in a real headless Chromium (Playwright, Debian's /usr/bin/chromium) against the
app served on 127.0.0.1: list, evidence, the keys a / m / u changing the store, crawled script that
never runs, a POST without the CSRF token refused."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from db import review as review_store
from db.store import open_db
from pipeline.review import web
from pipeline.review.items import queue

from .conftest import PAYLOAD_TITLE, candidate_named

CHROMIUM = Path("/usr/bin/chromium")
STEP_MS = 10_000

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (Debian package chromium; "
                                                              ".ci/run installs it)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), timeout=STEP_MS * 2,
                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture
def served(review_path):
    """The app on 127.0.0.1, a free port, in a background thread: (base URL, store path)."""
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, web.create_app(review_path, reviewer="ana"), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", review_path
    server.shutdown()
    thread.join(5)
    server.server_close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    pg = context.new_page()
    pg.set_default_timeout(STEP_MS)
    pg.set_default_navigation_timeout(STEP_MS)
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def _store(path):
    db = open_db(path, create=False)
    return db


def _candidate(path, item_id: str) -> dict:
    db = _store(path)
    try:
        return review_store.candidate(db, int(item_id[1:]))
    finally:
        db.close()


def _id_of(path, name: str) -> str:
    """The review id of the candidate whose name holds `name`."""
    db = _store(path)
    try:
        return candidate_named(db, name)
    finally:
        db.close()


def _press(page, key: str) -> None:
    """A decision key: the form is posted and the next card loaded."""
    with page.expect_navigation(timeout=STEP_MS):
        page.keyboard.press(key)


def test_list_open_evidence_and_accept_with_the_keyboard(page, served):
    url, path = served
    db = _store(path)
    items, cid = queue(db), candidate_named(db, "江城链谷")
    db.close()
    page.goto(url + "/")
    assert page.locator("li.item").count() == len(items)
    page.click(f"#{cid} a.summary")                                   # open its card
    card = page.locator(f'section.card[data-item="{cid}"]')
    assert card.locator("mark", has_text="芜湖江城链谷区块链产业园").first.is_visible()
    assert card.locator('a[rel="noopener noreferrer"]').first.get_attribute("href").startswith("https://")
    _press(page, "a")
    assert _candidate(path, cid)["status"] == "accepted"
    assert page.locator(".flashes .done").inner_text().startswith("decision 1: accept " + cid)
    assert page.locator(f"#{cid}").count() == 0                       # it left the queue


def test_merge_into_the_chosen_park_with_the_keyboard(page, served):
    url, path = served
    cid = _id_of(path, "宜昌")
    page.goto(f"{url}/?item={cid}")
    page.keyboard.press("m")                                          # no park chosen: asks for one
    assert page.evaluate("document.activeElement.id") == "into" and _candidate(path, cid)["status"] == "new"
    page.keyboard.press("Escape")
    page.keyboard.press("3")                                          # 1–3 choose a nearest park …
    assert page.locator('input[name="into_pick"][data-n="3"]').is_checked()
    page.locator('input[name="into_pick"][data-n="2"]').click()       # … and so does the mouse
    chosen = page.locator('input[name="into_pick"]:checked').get_attribute("value")
    _press(page, "m")
    got = _candidate(path, cid)
    assert (got["status"], got["park_id"]) == ("merged", chosen)


def test_undo_the_last_decision_with_u(page, served):
    url, path = served
    cid = _id_of(path, "衡阳")
    page.goto(f"{url}/?item={cid}")
    _press(page, "r")
    assert _candidate(path, cid)["status"] == "rejected"
    _press(page, "u")
    assert _candidate(path, cid)["status"] == "new"
    assert page.locator(f'section.card[data-item="{cid}"]').is_visible()   # the undone card is shown again


def test_script_in_a_crawled_title_is_text_and_never_runs(page, served):
    url, path = served
    cid = _id_of(path, "衡阳")
    page.goto(f"{url}/?item={cid}")
    card = page.locator(f'section.card[data-item="{cid}"]')
    assert PAYLOAD_TITLE in card.inner_text()                         # the literal text is on the page
    card.locator("blockquote").nth(1).hover()                         # where an onmouseover would fire
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []


def test_a_post_without_the_csrf_token_is_refused(page, served):
    url, path = served
    cid = _id_of(path, "江城链谷")
    page.goto(url + "/")                                              # a session cookie, but no token sent
    resp = page.request.post(f"{url}/items/{cid}/accept", form={"next": ""}, timeout=STEP_MS)
    assert resp.status == 400 and "security token" in resp.text()
    assert _candidate(path, cid)["status"] == "new"
